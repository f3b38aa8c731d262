#!/usr/bin/env bash
# The cluster suite: `topoc up` runs real etcd, Patroni, HAProxy and PgBouncer processes on
# 127.0.0.1 (ports 31000-31959, 31960-31979, 32200-32399 for the TLS suite, 32400-32419 for the live check, 32500-32599 for the consistency client, 32600-32699 for topoc up on a running deployment, 32700-32767 for the tenant drop, 30800-30899 for the killed up, plus TOPOC_TEST_PORT_OFFSET if set; all below 32768, where Linux's ephemeral client ports begin), the tests check the running clusters against the plan's decisions,
# fail the leader over under load and `topoc down` everything (Tests/ClusterIntegrationTests).
# Test classes run two at a time (TOPOC_CLUSTER_JOBS), each in its own process; the classes' logs
# follow one another in /tmp/topoc-cluster-suite.log.
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
bundle="$(swift build --scratch-path "$scratch" --show-bin-path)/topocPackageTests.xctest"

# Each test class deploys on its own ports (above) in its own folder, so classes run side by side:
# TOPOC_CLUSTER_JOBS at once (default 2), each class in its own XCTest process (the test bundle is
# run directly: `swift test` holds a lock on the build folder, so two of them would run one after
# the other). The classes measured longest start first (2026-12-05: cron 153 s, the two failovers
# 159 s, the consistency client 120 s, multi-primary 104 s, backups 86 s), so the queue ends with
# short ones. TOPOC_CLUSTER_MEASURE=1 (the measurements of docs/performance-cluster.md, whose ports
# overlap the backup and TLS classes and which need a quiet machine) runs one class at a time.
jobs=${TOPOC_CLUSTER_JOBS:-2}
[[ ${TOPOC_CLUSTER_MEASURE:-} == 1 ]] && jobs=1
longest_first=(ClusterCronTests ClusterFailoverTests ClusterConsistencyClientTests ClusterMultiPrimaryTests ClusterBackupTests)
listed=$("$bundle" --list-tests | sed -n 's#^ClusterIntegrationTests\.\([A-Za-z0-9_]*\)/.*#\1#p' | sort -u)
classes=()
for class in "${longest_first[@]}"; do
    if grep -qx "$class" <<<"$listed"; then
        classes+=("$class")
    else
        echo "test-cluster: note: $class, listed to start first, is no test class of the bundle; update longest_first" >&2
    fi
done
while IFS= read -r class; do
    [[ " ${classes[*]} " == *" $class "* ]] || classes+=("$class")
done <<<"$listed"
if ((${#classes[@]} == 0)); then
    echo "test-cluster: no test class of ClusterIntegrationTests in $bundle" >&2
    exit 1
fi

logs=$(mktemp -d /tmp/topoc-suite-classes.XXXXXX)
# Runs one class; its output goes to its own log, one line to the terminal.
run_class() {
    local class=$1 began=$SECONDS status=0
    TOPOC_CLUSTER_TESTS=1 "$bundle" "ClusterIntegrationTests.$class" >"$logs/$class.log" 2>&1 || status=$?
    if ((status == 0)); then
        echo "test-cluster: $class passed ($((SECONDS - began)) s)"
    else
        echo "test-cluster: $class FAILED (exit $status, $((SECONDS - began)) s)"
        touch "$logs/$class.failed"
        return 1
    fi
}
export -f run_class
export bundle logs
echo "test-cluster: ${#classes[@]} test classes, $jobs at a time"
set +e
printf '%s\n' "${classes[@]}" | xargs -P "$jobs" -I '{}' bash -c 'run_class "$1"' _ '{}'
status=$?
set -e

# The classes' output one after the other (not interleaved), kept in /tmp/topoc-cluster-suite.log.
for class in "${classes[@]}"; do
    cat "$logs/$class.log" 2>/dev/null || echo "test-cluster: $class wrote no output"
done | tee /tmp/topoc-cluster-suite.log
failed=()
for class in "${classes[@]}"; do
    [[ -e $logs/$class.failed ]] && failed+=("$class")
done
rm -rf "$logs"
echo "== cluster results"
grep 'CLUSTER-RESULT' /tmp/topoc-cluster-suite.log | sed 's/^.*CLUSTER-RESULT /  /' || true
grep -A1 "^Test Suite 'Selected tests' \(passed\|failed\)" /tmp/topoc-cluster-suite.log |
    sed -n 's/^[[:space:]]*Executed \([0-9]*\) tests\{0,1\}, with \(\([0-9]*\) tests\{0,1\} skipped and \)\{0,1\}\([0-9]*\) failures\{0,1\}.*/\1 \3 \4/p' |
    awk -v classes="${#classes[@]}" '{ run += $1; skipped += $2; failures += $3 }
        END { printf "test-cluster: %d classes, %d tests executed (%d skipped), %d failures\n", classes, run, skipped, failures }'
echo "test-cluster: $(($(date +%s) - started))s (build and suite)"
if ((status != 0 || ${#failed[@]})); then
    echo "test-cluster: failed: ${failed[*]:-(xargs exit $status)}" >&2
    exit 1
fi
