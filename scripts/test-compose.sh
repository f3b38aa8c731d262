#!/usr/bin/env bash
# The compose target run for real: builds Tests/compose/small.yaml for compose, builds its image
# with podman (Debian 12 base made by debootstrap, pinned package versions), brings it up with
# podman-compose, and checks what an operator and an application would see:
#   1. the pinned versions are the mirror's and the image's (apt-cache policy, dpkg-query)
#   2. a leader is elected (polled with patronictl: podman here does not run healthchecks)
#   3. the one-shot schema service applied sql/placement.json and exited 0; pg_partman is the
#      version whose API the SQL calls, it registered the partitioned table, pg_cron holds the jobs,
#      and its maintenance premakes today's partition
#   4. every healthcheck command passes when run by hand (`podman healthcheck run`)
#   5. PgBouncer's open-file limit covers its expected use; members have the /dev/shm asked for
#   6. the application role writes and reads a row through PgBouncer (published on 127.0.0.1)
#   7. each member's read-only frontend (HAProxy, inside the compose network, from routing.json)
#      answers only while its member is a replica: the leader's closes the connection, the
#      replica's answers from a server in recovery and refuses writes
#   8. the leader's container is stopped: a new leader is elected and writes through PgBouncer
#      succeed again, and the new leader's frontend closes
# and tears everything down (`podman-compose down -v`, the project's network), also on failure.
#
# Environment: CI set => a missing podman is a failure, not a skip. TOPOC_COMPOSE_TIMEOUT bounds
# each wait (default 120 s). TOPOC_COMPOSE_KEEP=1 leaves the deployment up for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

log() { echo "test-compose: $*" >&2; }
fail() {
    log "FAIL: $*"
    exit 1
}

if ! command -v podman >/dev/null || ! command -v podman-compose >/dev/null; then
    if [[ -n ${CI:-} ]]; then fail "podman or podman-compose is missing under CI (scripts/install-deps.sh installs them)"; fi
    log "skipped: podman or podman-compose is not installed (scripts/install-deps.sh installs them)"
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    if [[ -n ${CI:-} ]]; then fail "must run as root under CI (podman here runs rootful)"; fi
    log "skipped: not root (podman here runs rootful)"
    exit 0
fi

timeout=${TOPOC_COMPOSE_TIMEOUT:-120}
topology=$repo/Tests/compose/small.yaml
topoc=$repo/.build/debug/topoc
[[ -x $topoc ]] || swift build --product topoc >&2
started=$(date +%s)
elapsed() { echo $(($(date +%s) - started)); }

work=$(mktemp -d /tmp/topoc-compose.XXXXXX)
project=topoccompose$$
cluster=$work/out/cluster
compose() { (cd "$cluster" && podman-compose -p "$project" "$@"); }
container() { echo "${project}_$1_1"; }

cleanup() {
    local status=$?
    if [[ ${TOPOC_COMPOSE_KEEP:-} == 1 ]]; then
        log "kept: cd $cluster && podman-compose -p $project down -v"
        exit $status
    fi
    if [[ $status -ne 0 && -d $cluster ]]; then
        for name in $(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' 2>/dev/null); do
            log "--- last lines of $name"
            podman logs --tail 15 "$name" 2>&1 | sed 's/^/    /' >&2 || true
        done
    fi
    if [[ -d $cluster ]]; then
        compose down -v -t 5 >/dev/null 2>&1 || true
    fi
    # podman-compose 1.0.3 leaves what it could not remove behind: remove the rest by label.
    podman ps -aq --filter "label=io.podman.compose.project=$project" | xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true
    podman volume ls -q --filter "label=io.podman.compose.project=$project" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
    podman network rm -f "${project}_default" >/dev/null 2>&1 || true
    rm -rf "$work"
    log "torn down ($(elapsed)s in all)"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Passwords: every variable the compose file requires, random, never written to disk.
"$topoc" build "$topology" -o "$work/out" -q
while read -r variable; do
    export "$variable=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
done < <(grep -o '\${[A-Z0-9_]*:?' "$cluster/docker-compose.yml" | sed 's/^\${//; s/:?$//' | sort -u)

plan=$work/out/plan.json
read -r app_role app_database app_password_variable < <(python3 - "$plan" "$topology" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))
roles, secrets = plan["roles"], plan["secrets"]
database = next(d["name"] for d in plan["databases"] if d["kind"] != "tenant")
print(roles["application"], database, secrets["app"])
EOF
)
pooler_port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pooler"]["port"])' "$plan")
if (echo >"/dev/tcp/127.0.0.1/$pooler_port") 2>/dev/null; then fail "127.0.0.1:$pooler_port is taken: PgBouncer is published there"; fi

# 1. The base image under the name FROM uses, and the pins against the mirror.
scripts/compose-base-image.sh
from=$(awk '/^FROM / { print $2; exit }' "$cluster/Dockerfile")
podman tag localhost/topoc-debian-bookworm:latest "$from"
pins=$(grep -o '[a-z0-9.+-]*=[0-9][^ ]*' "$cluster/Dockerfile" | sort -u)
mirror=$(podman run --rm "$from" sh -c "apt-get update -qq >/dev/null && apt-cache policy $(echo "$pins" | sed 's/=.*//' | tr '\n' ' ')" |
    awk '/^[^ ].*:$/ { name = substr($1, 1, length($1) - 1) } /Candidate:/ { print name "=" $2 }' | sort -u)
if [[ $mirror != "$pins" ]]; then
    log "the pinned versions (Sources/TopologyCompiler/Backends/Compose/ImagePins.swift) are not the mirror's:"
    diff <(echo "$pins") <(echo "$mirror") >&2 || true
    fail "update ImagePins.swift to the mirror's versions (right-hand side)"
fi
host=$(dpkg-query -W -f='${Package}=${Version}\n' $(echo "$pins" | sed 's/=.*//') 2>/dev/null | grep -v '=$' | sort -u || true)
drift=$(comm -13 <(echo "$pins") <(echo "$host") || true)
[[ -z $drift ]] || log "note: this machine's own packages differ from the pins (the other suites run these): $(echo $drift)"

# 2. Build the image and bring the deployment up.
image=$(awk '/^ *image: "?topoc-/ { gsub(/"/, "", $2); print $2; exit }' "$cluster/docker-compose.yml")
compose build >"$work/build.log" 2>&1 || true
podman image exists "$image" || { tail -30 "$work/build.log" >&2; fail "the image $image was not built"; }
installed=$(podman run --rm "$image" dpkg-query -W -f='${Package}=${Version}\n' $(echo "$pins" | sed 's/=.*//') | sort -u)
[[ $installed == "$pins" ]] || { diff <(echo "$pins") <(echo "$installed") >&2; fail "the image's packages are not the pinned versions"; }
log "image $image: $(echo "$pins" | wc -l) pinned packages at their pinned versions ($(elapsed)s)"

compose up -d >"$work/up.log" 2>&1 || true
members=$(python3 -c 'import json,sys; print(" ".join(m["name"] for c in json.load(open(sys.argv[1]))["clusters"] for m in c["members"]))' "$plan")
cluster_name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clusters"][0]["name"])' "$plan")
patroni_config() { echo "/etc/topoc/patroni/$cluster_name/$1.yml"; }

# The leader's member name, as patronictl in any running member reports it ("" while none).
leader() {
    local member
    for member in $members; do
        timeout 10 podman exec "$(container "$member")" patronictl -c "$(patroni_config "$member")" list -f json 2>/dev/null |
            python3 -c 'import json,sys; print(next((m["Member"] for m in json.load(sys.stdin) if m["Role"] == "Leader" and m["State"] == "running"), ""))' 2>/dev/null &&
            return 0
    done
    echo ""
}
wait_for() { # what, then a command that succeeds when it holds
    local what=$1 deadline=$(($(date +%s) + timeout))
    shift
    until "$@"; do
        [[ $(date +%s) -lt $deadline ]] || fail "timed out after ${timeout}s waiting for $what"
        sleep 1
    done
}
has_leader() { [[ -n $(leader) ]]; }
wait_for "a leader" has_leader
first=$(leader)
log "leader $first elected ($(elapsed)s)"

# 3. The schema service.
schema_done() { [[ $(podman inspect -f '{{.State.Status}}' "$(container schema)" 2>/dev/null) == exited ]]; }
wait_for "the schema service to finish" schema_done
code=$(podman inspect -f '{{.State.ExitCode}}' "$(container schema)")
podman logs "$(container schema)" 2>&1 | sed 's/^/    schema: /' >&2
[[ $code == 0 ]] || fail "the schema service exited with $code"

# On the leader, as the container's postgres user over the socket (peer authentication).
leader_sql() { podman exec "$(container "$(leader)")" psql -X -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
partman=$(leader_sql "$app_database" "SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'")
[[ $partman == 4.* ]] || fail "pg_partman $partman is installed; the generated SQL calls pg_partman 4's API"
[[ $(leader_sql "$app_database" "SELECT count(*) FROM partman.part_config WHERE parent_table = 'public.events'") == 1 ]] ||
    fail "pg_partman does not keep public.events"
jobs=$(leader_sql postgres "SELECT count(*) FROM cron.job")
[[ $jobs -ge 1 ]] || fail "pg_cron holds no job"
leader_sql "$app_database" "SELECT partman.run_maintenance('public.events')" >/dev/null
today=events_p$(date -u +%Y%m%d)
[[ $(leader_sql "$app_database" "SELECT to_regclass('public.$today') IS NOT NULL") == t ]] ||
    fail "pg_partman's maintenance did not make $today"
log "pg_partman $partman keeps public.events ($today premade by its maintenance); pg_cron holds $jobs job(s)"

# 4. Every healthcheck, run by hand.
healthy() { podman healthcheck run "$1" >/dev/null 2>&1; }
for service in etcd1 etcd2 etcd3 $members haproxy pgbouncer; do
    wait_for "the healthcheck of $service" healthy "$(container "$service")"
done
log "every healthcheck passes when run ($(elapsed)s)"

# 5. Limits.
fd_line=$(podman logs "$(container pgbouncer)" 2>&1 | grep -m1 'kernel file descriptor limit' || true)
[[ -n $fd_line ]] || fail "PgBouncer logged no file descriptor line"
limit=$(sed 's/.*limit: \([0-9]*\).*/\1/' <<<"$fd_line")
expected=$(sed 's/.*max expected fd use: \([0-9]*\).*/\1/' <<<"$fd_line")
[[ $limit -ge $expected ]] || fail "PgBouncer: $fd_line"
shm=$(podman exec "$(container "$first")" df -k --output=size /dev/shm | tail -1 | tr -d ' ')
[[ $shm -ge 1000000 ]] || fail "/dev/shm of $first is ${shm} kB, not the 1g asked for"
log "PgBouncer: $fd_line; /dev/shm ${shm} kB"

# 6. The application through PgBouncer, from the host.
app() {
    PGPASSWORD=${!app_password_variable} PGCONNECT_TIMEOUT=3 psql -X -q -A -t -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$pooler_port" -U "$app_role" -d "$app_database" -c "$1" 2>"$work/app.err"
}
write_and_read() {
    local body=$1
    [[ $(app "INSERT INTO notes (body) VALUES ('$body') RETURNING body") == "$body" ]] &&
        [[ $(app "SELECT count(*) FROM notes WHERE body = '$body'") == 1 ]]
}
wait_for "a write through PgBouncer (last error: see below)" write_and_read before-failover ||
    cat "$work/app.err" >&2
[[ $(app "INSERT INTO events VALUES (1, now(), 'x') RETURNING tableoid::regclass") == "$today" ]] ||
    fail "a row of today did not land in $today: $(cat "$work/app.err")"
log "$app_role wrote and read a row through PgBouncer at 127.0.0.1:$pooler_port, and one into $today ($(elapsed)s)"

# 6b. Reads through the read-only pool reach the replica: HAProxy's staleness agent (running in
# the HAProxy container) says it is within max_staleness.
read_on_replica() {
    [[ $(PGPASSWORD=${!app_password_variable} PGCONNECT_TIMEOUT=3 psql -X -q -A -t -h 127.0.0.1 -p "$pooler_port" \
        -U "$app_role" -d "${app_database}_ro" -c "SELECT pg_is_in_recovery() FROM notes LIMIT 1" 2>"$work/ro.err") == t ]]
}
wait_for "a read through ${app_database}_ro answered by the replica" read_on_replica
log "a read through ${app_database}_ro was answered by the replica ($(elapsed)s)"

# 7. Each member's read-only frontend, as the application role from inside the network (the
# frontends are not published: TopologyClient reads there from within the deployment's network).
read -r -a member_frontends < <(python3 -c '
import json, sys
routing = json.load(open(sys.argv[1]))
print(" ".join("%s=%s:%d" % (m["member"], m["readOnly"]["host"], m["readOnly"]["port"])
               for c in routing["clusters"] for m in c.get("replicaReads") or []))' "$work/out/routing.json")
[[ ${#member_frontends[@]} -ge 2 ]] || fail "routing.json names no member read-only frontend"
frontend_sql() { # member=host:port, as the application role from the PgBouncer container
    local entry=$1 endpoint=${1#*=}
    podman exec -e PGPASSWORD="${!app_password_variable}" -e PGCONNECT_TIMEOUT=3 "$(container pgbouncer)" \
        psql -X -q -A -t -h "${endpoint%:*}" -p "${endpoint#*:}" -U "$app_role" -d "$app_database" -c "$2" 2>&1
}
frontends_follow_roles() { # leader's frontend closed, every other answers in recovery
    local entry member now
    now=$(leader)
    for entry in "${member_frontends[@]}"; do
        member=${entry%%=*}
        if [[ $member == "$now" ]]; then
            # No server answers at all (neither t nor f): HAProxy closes the connection.
            [[ ! $(frontend_sql "$entry" "SELECT pg_is_in_recovery()") =~ ^[tf]$ ]] || return 1
        elif [[ $member != "${1:-}" ]]; then
            [[ $(frontend_sql "$entry" "SELECT pg_is_in_recovery()") == t ]] || return 1
        fi
    done
}
wait_for "each member frontend to follow its member's role" frontends_follow_roles
for entry in "${member_frontends[@]}"; do
    [[ ${entry%%=*} == "$first" ]] && continue
    refusal=$(frontend_sql "$entry" "CREATE TEMP TABLE topoc_probe (x int)" || true)
    [[ $refusal == *"read-only transaction"* ]] || fail "${entry%%=*}'s frontend took a write: $refusal"
done
log "member frontends: ${first}'s closes the connection, the replicas' answer in recovery and refuse writes ($(elapsed)s)"

# 8. Failover: stop the leader's container.
stopped=$(date +%s)
podman stop -t 2 "$(container "$first")" >/dev/null
new_leader() { local now; now=$(leader); [[ -n $now && $now != "$first" ]]; }
wait_for "a new leader after stopping $first" new_leader
second=$(leader)
log "new leader $second $(($(date +%s) - stopped))s after stopping $first"
wait_for "a write through PgBouncer after the failover" write_and_read after-failover
[[ $(app "SELECT count(*) FROM notes") == 2 ]] || fail "the row written before the failover is missing"
log "writes through PgBouncer succeed again $(($(date +%s) - stopped))s after stopping the leader; both rows present"
# The promoted member's frontend closes (HAProxy marks it down and cuts its sessions).
new_leader_frontend_closed() { frontends_follow_roles "$first"; }
wait_for "the new leader's member frontend to close" new_leader_frontend_closed
log "member frontends after the failover: ${second}'s closes the connection"
log "ok ($(elapsed)s)"
