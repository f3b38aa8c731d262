#!/usr/bin/env bash
# The whole test suite: the one command the README gives and CI runs.
#   1. install what the tests need (Debian packages, PyPI tools in .build-tools/venv)
#   2. start a throwaway PostgreSQL 15 on 127.0.0.1 for the DDL tests (stopped on exit), and
#      prepare PostgreSQL 16 binaries for the multi-primary tests (scripts/pg16.sh)
#   3. build and run every Swift test (unit, corpus, planner, rules, backends, CLI, DDL on PostgreSQL),
#      then the migration corpus again on PostgreSQL 16 (scripts/test-migration-pg16.sh)
#   4. check every example against the JSON Schema with a real validator, validate every
#      example's kubernetes manifests against CloudNativePG's CRD schemas (scripts/check-cnpg.sh)
#      and run their schema Job scripts on PostgreSQL 15 (scripts/test-cnpg-schema.sh),
#      and render every example's graph views with mermaid.js and Graphviz (scripts/check-graphs.sh)
#   5. the cluster suite (Patroni/etcd/PgBouncer/HAProxy on loopback), the compose target under
#      podman (scripts/test-compose.sh) and the example app, when present
#   6. fuzz the parser for a bounded time (FUZZ_SECONDS, default 60; 0 skips)
set -euo pipefail
cd "$(dirname "$0")/.."

stages=0
timings=()
suite_start=$SECONDS
stage_start=$SECONDS
# Records how long the step since the last one took (all are printed again at the end, so a
# slow CI run shows which step grew); stage_done also counts a test stage.
step_done() {
    local took=$((SECONDS - stage_start))
    timings+=("$(printf '%5d s  %s' "$took" "$1")")
    echo "-- $1: ${took} s"
    stage_start=$SECONDS
}
stage_done() {
    stages=$((stages + 1))
    step_done "$1"
}

scripts/install-deps.sh
step_done "install what the tests need"

if [[ -x scripts/pg-server.sh ]]; then
    echo "== PostgreSQL 15 for the DDL tests"
    eval "$(scripts/pg-server.sh start)"
    trap 'scripts/pg-server.sh stop >/dev/null 2>&1 || true' EXIT
    export TOPOC_PG_PORT=${TOPOC_PG_PORT:-${PGPORT:-}}
fi

echo "== PostgreSQL 16 binaries for the multi-primary tests"
eval "$(scripts/pg16.sh)"
step_done "PostgreSQL servers"

echo "== swift test"
swift build --build-tests
step_done "swift build"
swift test --skip-build
stage_done "swift test"

echo "== migration corpus on PostgreSQL 16 (about 2 min)"
scripts/test-migration-pg16.sh
stage_done "migration corpus on PostgreSQL 16"

echo "== swift-format"
scripts/lint.sh
stage_done "swift-format"

echo "== benchmark topologies still compile"
python3 Benchmarks/build-scaling/bench.py --smoke --topoc .build/debug/topoc
stage_done "benchmark topologies"

echo "== JSON Schema"
scripts/check-schema.sh
stage_done "JSON Schema"

echo "== kubernetes target: CloudNativePG manifests against the operator's CRD schemas"
scripts/check-cnpg.sh
stage_done "CloudNativePG manifests"

echo "== kubernetes target: the schema Job's script on PostgreSQL 15"
scripts/test-cnpg-schema.sh
stage_done "schema Job scripts"

echo "== graph views (mermaid.js and Graphviz)"
scripts/check-graphs.sh
stage_done "graph views"

if [[ -x scripts/test-cluster.sh ]]; then
    echo "== cluster suite"
    scripts/test-cluster.sh
    stage_done "cluster suite"
fi

if [[ -x scripts/test-compose.sh ]]; then
    echo "== compose target under podman (bounded: 8 min; about 1 min once the image is built)"
    timeout -k 20 480 scripts/test-compose.sh
    stage_done "compose under podman"
fi

if [[ -x scripts/test-app.sh ]]; then
    echo "== example app with the build plugin"
    scripts/test-app.sh
    stage_done "example app"
fi

fuzz_seconds=${FUZZ_SECONDS:-60}
if [[ $fuzz_seconds -gt 0 ]]; then
    echo "== fuzz (${fuzz_seconds}s)"
    scripts/fuzz.sh "$fuzz_seconds"
    stage_done "fuzz"
fi
echo "== all tests passed"
printf '%s\n' "${timings[@]}"
echo "total: $((SECONDS - suite_start)) s"
echo "stages: $stages passed, 0 failed"
