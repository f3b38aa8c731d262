#!/usr/bin/env bash
# Runs the kubernetes target's schema Job script on a real PostgreSQL 15, as the Job would:
# for every example the target builds and scripts/fixtures/kubernetes-large-ring.yaml (a shared
# script held in parts), `run.sh` and the scripts of each Job's projected volumes (their
# ConfigMaps taken out of the manifests with PyYAML, under each volume's mount path) run against a
# fresh server (scripts/pg-server.sh on TOPOC_CNPG_PG_PORT, default 56510), with PGHOST/PGPORT
# pointing there instead of the cluster's -rw service and each login role's password in its variable, as the Job's
# secretKeyRefs give them. Then it checks that every database of the plan exists with its
# tables, that the owner role cannot log in and every login role has a password, and runs the
# Job again (it must be idempotent). Clusters of one example share the server; each example
# gets a new one. What this does not show (CloudNativePG, the service, the Secret objects):
# docs/kubernetes.md.
# Usage: scripts/test-cnpg-schema.sh [TOPOC]   (default .build/debug/topoc)
set -euo pipefail
cd "$(dirname "$0")/.."

topoc=${1:-.build/debug/topoc}
venv=.build-tools/venv
port=${TOPOC_CNPG_PG_PORT:-56510}
[[ -x $topoc ]] || { echo "test-cnpg-schema: $topoc is missing (swift build)" >&2; exit 1; }
[[ -x $venv/bin/python ]] && "$venv/bin/python" -c 'import yaml' 2>/dev/null \
    || { echo "test-cnpg-schema: PyYAML in $venv is missing (scripts/check-cnpg.sh installs it)" >&2; exit 1; }
if [[ ! -x /usr/lib/postgresql/15/bin/postgres ]]; then
    echo "test-cnpg-schema: PostgreSQL 15 is missing (scripts/install-deps.sh)" >&2
    exit 1
fi
# PostgreSQL 15's own psql first: Debian's /usr/bin/psql is a Perl wrapper (pg_wrapper) that costs
# about 70 ms of CPU each time the Job scripts start psql.
PATH=/usr/lib/postgresql/15/bin:$PATH

work=$(mktemp -d)
chmod 755 "$work"
stop() { TOPOC_PG_PORT=$port scripts/pg-server.sh stop >/dev/null 2>&1 || true; }
trap 'stop; rm -rf "$work"' EXIT
failed=0
ran=0
joined=0
# Besides the examples, a ring whose shared script the ConfigMaps hold in parts (scripts/fixtures).
for example in examples/*.yaml scripts/fixtures/kubernetes-large-ring.yaml; do
    name=$(basename "$example" .yaml)
    out="$work/$name"
    "$topoc" build --quiet --target kubernetes --only kubernetes plan postgres -o "$out" "$example" >/dev/null 2>&1 || continue
    stop
    eval "$(TOPOC_PG_PORT=$port scripts/pg-server.sh start 2>/dev/null)"
    # Unpack each Job's projected volumes into $out/schema/<job>/ as the Job mounts them (every
    # key of each ConfigMap source under its volume's mountPath, relative to /etc/topoc/schema),
    # failing on a source whose ConfigMap was not written. Print each Job and its command's
    # script, relative to that folder.
    declare -A run_of=()
    jobs=()
    while read -r job script; do run_of[$job]=$script; jobs+=("$job"); done < <("$venv/bin/python" - "$out" <<'PY'
import glob, os, sys, yaml
out = sys.argv[1]
root = "/etc/topoc/schema/"
manifests = os.path.join(out, "kubernetes/schema")
for path in sorted(glob.glob(os.path.join(manifests, "job-*.yaml"))):
    job = yaml.safe_load(open(path))
    name = job["metadata"]["name"]
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
    for volume in pod["volumes"]:
        if "projected" not in volume:
            continue
        folder = os.path.join(out, "schema", name, mounts[volume["name"]].removeprefix(root))
        os.makedirs(folder, exist_ok=True)
        for source in volume["projected"]["sources"]:
            config_path = os.path.join(manifests, f"configmap-{source['configMap']['name']}.yaml")
            if not os.path.exists(config_path):
                sys.exit(f"{name}: ConfigMap {source['configMap']['name']} was not written")
            for key, text in yaml.safe_load(open(config_path))["data"].items():
                with open(os.path.join(folder, key), "w") as handle:
                    handle.write(text)
    print(name, container["command"][1].removeprefix(root))
PY
)
    clusters=${jobs[*]}
    # Every variable the Job's env takes from a Secret, with a made-up password.
    mapfile -t variables < <(grep -h -B1 'valueFrom:' "$out"/kubernetes/schema/job-*.yaml | sed -n 's/^ *- name: //p' | sort -u)
    env_args=()
    for variable in "${variables[@]}"; do env_args+=("$variable=pw-$variable"); done
    chmod -R a+rX "$out"
    for pass in 1 2; do
        for cluster in $clusters; do
            mkdir -p "$out/work/$cluster"
            if ! env "${env_args[@]}" PGHOST="$PGHOST" PGPORT="$PGPORT" TOPOC_SCHEMA_PATIENCE=10 \
                TOPOC_SCHEMA_WORK="$out/work/$cluster" sh "$out/schema/$cluster/${run_of[$cluster]}" >"$out/$cluster.log" 2>&1; then
                echo "test-cnpg-schema: $name: $cluster's Job script failed (pass $pass):" >&2
                tail -20 "$out/$cluster.log" >&2
                failed=$((failed + 1))
            fi
        done
    done
    # A script held in parts was joined into exactly the script of sql/ (the Job's work folder).
    for cluster in $clusters; do
        while IFS= read -r first_part; do
            relative=${first_part#"$out/schema/$cluster/"}
            relative=${relative%.part-001}
            if ! cmp -s "$out/work/$cluster/$relative" "$out/sql/$relative"; then
                echo "test-cnpg-schema: $name: $cluster's Job joined $relative into something other than sql/$relative" >&2
                failed=$((failed + 1))
            fi
            joined=$((joined + 1))
        done < <(find "$out/schema/$cluster" -name '*.part-001')
    done
    # The plan's databases, each with at least one table; the owner NOLOGIN; login roles with passwords.
    checks=$("$venv/bin/python" - "$out/plan.json" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
for database in plan["databases"]:
    print("db\t" + database["name"])
print("nologin\t" + plan["roles"]["owner"])
print("login\t" + plan["roles"]["application"])
print("login\t" + plan["roles"]["readOnly"])
PY
)
    # A missing Secret value fails the Job instead of leaving a role without a password.
    first=${clusters%% *}
    missing=()
    dropped=
    for argument in "${env_args[@]}"; do
        if [[ -z $dropped && $argument != PGPASSWORD=* ]]; then dropped=${argument%%=*}; else missing+=("$argument"); fi
    done
    if env -i PATH="$PATH" "${missing[@]}" PGHOST="$PGHOST" PGPORT="$PGPORT" TOPOC_SCHEMA_PATIENCE=0 TOPOC_SCHEMA_WORK="$out/work/$first" \
        sh "$out/schema/$first/${run_of[$first]}" >"$out/missing.log" 2>&1; then
        echo "test-cnpg-schema: $name: the Job script succeeded with a password variable missing" >&2
        failed=$((failed + 1))
    fi
    tab=$(printf '\t')
    checked=0
    while IFS=$tab read -r kind value; do
        case $kind in
            db)
                tables=$(psql -X -At -U postgres -d "$value" -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')" 2>&1) || tables=0
                if [[ ! $tables =~ ^[0-9]+$ || $tables -eq 0 ]]; then
                    echo "test-cnpg-schema: $name: database $value has no tables ($tables)" >&2
                    failed=$((failed + 1))
                fi ;;
            nologin | login)
                row=$(psql -X -At -U postgres -d postgres -c "SELECT rolcanlogin, rolpassword IS NOT NULL FROM pg_catalog.pg_authid WHERE rolname = '$value'")
                expected=$([[ $kind == login ]] && echo 't|t' || echo 'f|f')
                if [[ $row != "$expected" ]]; then
                    echo "test-cnpg-schema: $name: role $value: login|password is '$row', expected '$expected'" >&2
                    failed=$((failed + 1))
                fi ;;
        esac
        checked=$((checked + 1))
    done <<<"$checks"
    ran=$((ran + 1))
    echo "test-cnpg-schema: $name: the Job script of $(echo $clusters | wc -w) cluster(s) applied twice, $checked database and role checks, refused without $dropped"
done
if ((ran == 0)); then
    echo "test-cnpg-schema: no example built for the kubernetes target" >&2
    exit 1
fi
if ((failed > 0)); then
    echo "test-cnpg-schema: $failed failures" >&2
    exit 1
fi
if ((joined == 0)); then
    echo "test-cnpg-schema: no Job joined a script held in parts (scripts/fixtures/kubernetes-large-ring.yaml)" >&2
    exit 1
fi
echo "test-cnpg-schema: $ran topologies' schema Jobs ran on PostgreSQL 15; $joined scripts joined from parts, each equal to its sql/ script"
