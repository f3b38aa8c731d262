#!/usr/bin/env bash
# The cluster suite: `topoc up` runs real etcd, Patroni, HAProxy and PgBouncer processes on
# 127.0.0.1 (ports 31000-31959, 31960-31979, 32200-32399 for the TLS suite, 32400-32419 for the live check, 32500-32599 for the consistency client, 32600-32699 for topoc up on a running deployment, 32700-32767 for the tenant drop, 30800-30899 for the killed up, plus TOPOC_TEST_PORT_OFFSET if set; all below 32768, where Linux's ephemeral client ports begin), the tests check the running clusters against the plan's decisions,
# fail the leader over under load and `topoc down` everything (Tests/ClusterIntegrationTests).
# Needs the Debian packages scripts/install-deps.sh installs; under CI a missing one is a failure,
# elsewhere the suite is skipped. Run as root (servers then run as the postgres user) or as a
# user that may run PostgreSQL. Builds with SCRATCH_PATH (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH_PATH:-.build}

missing=()
for program in patroni etcd haproxy pgbouncer psql; do
    PATH="$PATH:/usr/sbin:/sbin" command -v "$program" >/dev/null || missing+=("$program")
done
if ((${#missing[@]})); then
    if [[ -n ${CI:-} ]]; then
        echo "test-cluster: missing ${missing[*]} (scripts/install-deps.sh installs them)" >&2
        exit 1
    fi
    echo "test-cluster: skipped, missing ${missing[*]}"
    exit 0
fi

# Whatever happens, stop deployments the suite left behind (by the PIDs in their state files).
cleanup() {
    local topoc="$scratch/debug/topoc"
    for run in /tmp/topoc-cluster-*/run; do
        [[ -f $run/state.json && -x $topoc ]] || continue
        echo "test-cluster: stopping leftover deployment $run"
        "$topoc" down --run-dir "$run" >/dev/null 2>&1 || true
    done
}
trap cleanup EXIT

# PostgreSQL 16 for the multi-primary cluster test (Debian 12 ships 15).
[[ -n ${TOPOC_PG16_BIN:-} ]] || eval "$(scripts/pg16.sh)"

started=$(date +%s)
swift build --scratch-path "$scratch" --build-tests
set +e
TOPOC_CLUSTER_TESTS=1 swift test --scratch-path "$scratch" --skip-build --filter 'ClusterIntegrationTests\.' 2>&1 |
    tee /tmp/topoc-cluster-suite.log
status=${PIPESTATUS[0]}
set -e
echo "== cluster results"
grep 'CLUSTER-RESULT' /tmp/topoc-cluster-suite.log | sed 's/^.*CLUSTER-RESULT /  /' || true
echo "test-cluster: $(($(date +%s) - started))s (build and suite)"
exit "$status"
