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
#   6. fuzz the parser for a bounded time (FUZZ_SECONDS, default 90; 0 skips): niced beside the
#      foreground it ran 811 inputs in 60 s, against 1,014-1,170 alone, hence 90 s
# Once the Swift build is done, the checks of step 4 and the fuzz step run one after another at the
# lowest priority (nice 19) in the background, using what the foreground leaves of the 2 cores:
# step 5 mostly waits on its servers (the cluster suite alone kept them 46-58 % busy). Their
# output and times are printed when the foreground is done; any failure fails the run.
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

# Background stages: run one after another, niced, in their own process group (so a failing
# foreground step stops them and all they started), each into its own log in background_dir.
background_dir=$(mktemp -d)
background_pid=""
background_names=()
# Runs background stage INDEX: INDEX COMMAND...; records "seconds status" in background_dir.
run_background_stage() {
    local index=$1 started=$SECONDS status=0
    shift
    "$@" >"$background_dir/$index.log" 2>&1 || status=$?
    echo "$((SECONDS - started)) $status" >"$background_dir/$index.result"
}
# Starts the stages named in background_names (each "NAME|COMMAND ARGUMENTS").
start_background() {
    set -m
    (
        renice -n 19 -p "$BASHPID" >/dev/null
        for index in "${!background_names[@]}"; do
            read -r -a command <<<"${background_names[$index]#*|}"
            run_background_stage "$index" "${command[@]}"
        done
    ) </dev/null >"$background_dir/runner.log" 2>&1 &
    background_pid=$!
    set +m
    echo "== in the background, niced: $(printf '%s; ' "${background_names[@]%%|*}")"
}
stop_background() {
    if [[ -n $background_pid ]]; then kill -TERM -- "-$background_pid" 2>/dev/null || true; fi
    rm -rf "$background_dir"
}
# On any exit: stops the background stages; after a failure, prints the steps that finished and
# their times (the summary a passing run prints at its end).
finish() {
    local status=$?
    stop_background
    if [[ $status -ne 0 ]]; then
        echo "== FAILED (exit $status) after $((SECONDS - suite_start)) s; the steps that finished:" >&2
        printf '%s\n' "${timings[@]}" >&2
    fi
    return 0 # the script still exits with $status; a non-zero return would skip the trap's rest
}
trap finish EXIT
# Waits for the background stages, prints each one's output and time; fails if one failed.
join_background() {
    local index name seconds status failed=0
    wait "$background_pid" || true
    background_pid=""
    for index in "${!background_names[@]}"; do
        name=${background_names[$index]%%|*}
        echo "== $name (ran in the background)"
        cat "$background_dir/$index.log" 2>/dev/null || true
        if [[ ! -f $background_dir/$index.result ]]; then
            echo "-- $name: did not run" >&2
            failed=1
            continue
        fi
        read -r seconds status <"$background_dir/$index.result"
        if [[ $status -ne 0 ]]; then
            echo "-- $name: FAILED (exit $status) after ${seconds} s" >&2
            failed=1
            continue
        fi
        stages=$((stages + 1))
        timings+=("$(printf '%5d s  %s (background)' "$seconds" "$name")")
        echo "-- $name: ${seconds} s, in the background"
    done
    step_done "waiting for the background stages"
    [[ $failed -eq 0 ]] || { cat "$background_dir/runner.log" >&2; exit 1; }
}

scripts/install-deps.sh
step_done "install what the tests need"

if [[ -x scripts/pg-server.sh ]]; then
    echo "== PostgreSQL 15 for the DDL tests"
    eval "$(scripts/pg-server.sh start)"
    trap 'finish; scripts/pg-server.sh stop >/dev/null 2>&1 || true' EXIT
    export TOPOC_PG_PORT=${TOPOC_PG_PORT:-${PGPORT:-}}
fi

echo "== PostgreSQL 16 binaries for the multi-primary tests"
eval "$(scripts/pg16.sh)"
step_done "PostgreSQL servers"

echo "== swift test"
swift build --build-tests
step_done "swift build"

# The checks that need only the built topoc, scripts and their own servers run niced in the
# background from here to the end (see the top of this file); the rest runs in the foreground.
background_names+=("swift-format|scripts/lint.sh")
background_names+=("JSON Schema|scripts/check-schema.sh")
background_names+=("CloudNativePG manifests|scripts/check-cnpg.sh")
background_names+=("schema Job scripts on PostgreSQL 15|scripts/test-cnpg-schema.sh")
background_names+=("graph views (mermaid.js and Graphviz)|scripts/check-graphs.sh")
fuzz_seconds=${FUZZ_SECONDS:-90}
if [[ $fuzz_seconds -gt 0 ]]; then
    background_names+=("fuzz (${fuzz_seconds}s)|scripts/fuzz.sh $fuzz_seconds")
fi
start_background

swift test --skip-build
stage_done "swift test"

echo "== migration corpus on PostgreSQL 16 (about 2 min)"
scripts/test-migration-pg16.sh
stage_done "migration corpus on PostgreSQL 16"

echo "== benchmark topologies still compile"
python3 Benchmarks/build-scaling/bench.py --smoke --topoc .build/debug/topoc
stage_done "benchmark topologies"

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

join_background
echo "== all tests passed"
printf '%s\n' "${timings[@]}"
echo "total: $((SECONDS - suite_start)) s"
echo "stages: $stages passed, 0 failed"
