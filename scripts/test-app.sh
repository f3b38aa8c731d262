#!/usr/bin/env bash
# Builds examples/app, the TopologyPlugin's example app, proves that the plugin regenerates
# only when it must, then runs the app and its tests:
#   1. a no-op rebuild does not run topoc;
#   2. editing topology.yaml runs topoc and changes the generated router;
#   3. an error in topology.yaml fails `swift build` with topoc's FILE:LINE:COL diagnostic;
#   4. ShopFlow, through TopologyClient, against the topology brought up by `topoc up` on
#      loopback (4 shards x 3 members): a product on every shard, an order on its user's shard
#      read back at read-your-writes, the product at eventual, the order on no other shard.
# (`swift test` builds the tool with other flags, which re-runs generation, so it comes last.)
# The topology is restored and the deployment stopped afterwards, whatever happens. Under CI, a
# machine that cannot run the deployment (not root, no Patroni) fails; elsewhere step 4 is skipped.
#
# Builds in the repository's own .build (SCRATCH_PATH, default .build), where the test suite has
# already compiled topoc and TopologyClient's dependencies (two copies of BoringSSL among them):
# SwiftPM reuses every unchanged compilation, so this script took 3 minutes on a 2-core machine
# instead of compiling those dependencies a second time (the suite's first build took 24 minutes
# there, most of it them).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH_PATH:-.build}
[[ $scratch == /* ]] || scratch=$PWD/$scratch
cd examples/app
topology=Sources/ShopRouting/topology.yaml
backup=$(mktemp)
log=$(mktemp)
cp "$topology" "$backup"
run_dir=""
topoc=$scratch/debug/topoc
restore() {
    cp "$backup" "$topology"
    rm -f "$backup" "$log"
    if [[ -n $run_dir ]]; then
        "$topoc" down --run-dir "$run_dir" >/dev/null 2>&1 || true
        rm -rf "$run_dir"
    fi
}
trap restore EXIT

passed=0
step() { echo "test-app: $*"; }
fail() {
    echo "test-app: FAILED: $*" >&2
    echo "--- build log ---" >&2
    tail -40 "$log" >&2
    exit 1
}
build() { swift build --scratch-path "$scratch" >"$log" 2>&1; }
generated() { find "$scratch/plugins/outputs" -path '*TopologyPlugin*' -name Topology.swift | head -n 1; }

step "swift build"
build || fail "the app does not build"
# After a fresh build SwiftPM relinks the plugin's tool once more (seen on a clean checkout:
# the second build relinks topoc-tool and so re-runs the plugin); settle that first so the
# next step measures a true no-op rebuild.
build || fail "the settling rebuild failed"
passed=$((passed + 1))

step "a no-op rebuild does not regenerate"
build || fail "the no-op rebuild failed"
if grep -q "Generating Topology.swift" "$log"; then
    fail "topoc ran although nothing changed"
fi
passed=$((passed + 1))

step "editing the topology regenerates"
sleep 1.2
sed 's/max_staleness: 2s/max_staleness: 3s/' "$backup" >"$topology"
build || fail "the rebuild after an edit failed"
grep -q "Generating Topology.swift" "$log" || fail "topoc did not run after the topology changed"
file=$(generated)
[[ -n "$file" ]] || fail "no generated Topology.swift under $scratch/plugins/outputs"
grep -q "maxStaleness: Duration = .milliseconds(3000)" "$file" || fail "the generated router did not change"
passed=$((passed + 1))

step "an error in the topology fails the build at its line"
sleep 1.2
sed 's/^  shards: 4$/  shards: four/' "$backup" >"$topology"
if build; then
    fail "the build succeeded with an invalid topology"
fi
grep -Eq "topology\.yaml:[0-9]+:[0-9]+: error: " "$log" || fail "no FILE:LINE:COL error from topoc in the build output"
grep -E "topology\.yaml:[0-9]+:[0-9]+: error: " "$log" | head -n 1
passed=$((passed + 1))

step "restoring the topology"
sleep 1.2
cp "$backup" "$topology"
build || fail "the rebuild after restoring failed"
grep -q "maxStaleness: Duration = .milliseconds(2000)" "$(generated)" || fail "the restored router is stale"

step "swift run ShopApp"
swift run --scratch-path "$scratch" --skip-build ShopApp
passed=$((passed + 1))

step "ShopFlow through TopologyClient on a running deployment"
if [[ $(id -u) -ne 0 || ! -x /usr/bin/patroni ]]; then
    [[ -z ${CI:-} ]] || fail "under CI the flow needs root and Patroni (scripts/install-deps.sh)"
    step "skipped: needs root and Patroni"
else
    [[ -x $topoc ]] || swift build --scratch-path "$scratch" --product topoc >/dev/null
    run_dir=$(mktemp -d /tmp/topoc-app-run.XXXXXX)
    "$topoc" up "$topology" --run-dir "$run_dir" >"$log" 2>&1 || fail "topoc up of the app's topology failed"
    role=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["roles"]["application"])' "$run_dir/generated/plan.json")
    flow=$(set -a && . "$run_dir/secrets.env" && set +a &&
        timeout 120 swift run --scratch-path "$scratch" --skip-build ShopFlow "$run_dir/generated/routing.json" --user "$role" 2>&1) ||
        { echo "$flow" >&2; fail "ShopFlow failed"; }
    echo "$flow" | sed 's/^/    /'
    grep -q "^shop flow: ok$" <<<"$flow" || fail "ShopFlow did not finish"
    passed=$((passed + 1))
fi

step "swift test"
swift test --scratch-path "$scratch" 2>&1 | tail -n 3
passed=$((passed + 1))

echo "test-app: $passed passed, 0 failed"
