#!/usr/bin/env bash
# Checks the kubernetes target's CloudNativePG manifests with real JSON Schema validators:
#   1. `topoc build --target kubernetes` for every examples/*.yaml: an example the target refuses
#      must fail with exit 1 and exactly the TKS codes listed below; every other example must
#      build, and most examples must;
#   2. every manifest written (also for scripts/fixtures/kubernetes-large-ring.yaml, whose shared
#      shard script is written in parts) validates, unknown fields refused, against the openAPIV3Schema of
#      the CloudNativePG CRDs in $TOPOC_CNPG_CRDS (default ../shared/cnpg, the pinned release named
#      in its README.md), and the core kinds (Namespace, ConfigMap, Job) against Kubernetes'
#      own strict schemas (kubernetes-validate, Kubernetes $kubernetes_version); no Secret is written;
#      every ConfigMap fits the API server's 1 MiB and client-side kubectl apply's 256 KiB annotation;
#   3. a self-test breaks valid manifests (unknown fields, wrong types, values outside an enum)
#      and fails unless every broken one is refused.
# jsonschema (with check-jsonschema) and kubernetes-validate come from PyPI into .build-tools/venv.
# The manifests are validated, not applied: nothing here runs on a Kubernetes cluster (docs/kubernetes.md).
# Usage: scripts/check-cnpg.sh [TOPOC]   (default .build/debug/topoc). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

check_jsonschema_version=0.39.0
kubernetes_validate_version=1.37.0
kubernetes_version=1.33.0
venv=.build-tools/venv
topoc=${1:-.build/debug/topoc}
crds=${TOPOC_CNPG_CRDS:-../shared/cnpg}

# The examples the kubernetes target refuses, with the codes it must give (sorted, unique).
declare -A refused=(
    [ecommerce]="TKS005"
    [primary-replicas]="TKS005 TKS006 TKS007"
    [timeseries-range]="TKS005 TKS007"
)

[[ -x $topoc ]] || { echo "check-cnpg: $topoc is missing (swift build)" >&2; exit 1; }
if ! compgen -G "$crds/postgresql.cnpg.io_*.yaml" >/dev/null; then
    echo "check-cnpg: no CloudNativePG CRDs in $crds (set TOPOC_CNPG_CRDS)" >&2
    exit 1
fi
if [[ ! -x $venv/bin/python ]]; then
    echo "check-cnpg: creating $venv"
    python3 -m venv "$venv"
fi
for package in "check-jsonschema==$check_jsonschema_version" "kubernetes-validate==$kubernetes_validate_version"; do
    if [[ $("$venv/bin/python" -m pip show "${package%%==*}" 2>/dev/null | sed -n 's/^Version: //p') != "${package##*==}" ]]; then
        echo "check-cnpg: installing $package"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package"
    fi
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
built=0
total=0
failed=0
sets=()
# Besides the examples, a ring whose shared script must be written in parts (scripts/fixtures).
for example in examples/*.yaml scripts/fixtures/kubernetes-large-ring.yaml; do
    name=$(basename "$example" .yaml)
    total=$((total + 1))
    status=0
    "$topoc" build --quiet --target kubernetes -o "$out/$name" "$example" >"$out/$name.log" 2>&1 || status=$?
    codes=$(grep -o '\[TKS[0-9]*\]' "$out/$name.log" | tr -d '[]' | sort -u | tr '\n' ' ' | sed 's/ $//' || true)
    if [[ -n ${refused[$name]:-} ]]; then
        if [[ $status -ne 1 || $codes != "${refused[$name]}" ]]; then
            echo "check-cnpg: $name: expected refusal with ${refused[$name]}, got exit $status and codes '${codes}'" >&2
            cat "$out/$name.log" >&2
            failed=$((failed + 1))
        else
            echo "check-cnpg: $name: refused as expected ($codes)"
        fi
        continue
    fi
    if [[ $status -ne 0 ]]; then
        echo "check-cnpg: $name: topoc build --target kubernetes failed (exit $status)" >&2
        cat "$out/$name.log" >&2
        failed=$((failed + 1))
        continue
    fi
    mapfile -t manifests < <(find "$out/$name/kubernetes" -name '*.yaml' | sort)
    if ((${#manifests[@]} == 0)); then
        echo "check-cnpg: $name: no manifests written" >&2
        failed=$((failed + 1))
        continue
    fi
    if grep -rlq 'kind: Secret' "$out/$name/kubernetes"; then
        echo "check-cnpg: $name: a Secret was written" >&2
        failed=$((failed + 1))
    fi
    sets+=(--set "$name" "$out/$name/kubernetes")
    built=$((built + 1))
done
if ((built * 2 <= total)); then
    echo "check-cnpg: only $built of $total examples build for the kubernetes target" >&2
    failed=$((failed + 1))
fi

# One validator process for every example (loading the schemas is most of its time), then the
# self-test: broken manifests of each kind must be refused.
"$venv/bin/python" scripts/check-cnpg.py --self-test --crds "$crds" --kubernetes "$kubernetes_version" "${sets[@]}" ||
    failed=$((failed + 1))

if ((failed > 0)); then
    echo "check-cnpg: $failed failures" >&2
    exit 1
fi
echo "check-cnpg: $built of $total examples built and validated; ${#refused[@]} refused with their codes"
