#!/usr/bin/env bash
# The whole test suite: the one command the README gives and CI runs.
#   1. build and run every Swift test (unit, decoder corpus, planner, CLI)
#   2. check every example against the JSON Schema with a real validator
#   3. fuzz the parser for a bounded time (FUZZ_SECONDS, default 60; 0 skips)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== swift test"
swift build --build-tests
swift test --skip-build

echo "== JSON Schema"
scripts/check-schema.sh

fuzz_seconds=${FUZZ_SECONDS:-60}
if [[ $fuzz_seconds -gt 0 ]]; then
    echo "== fuzz (${fuzz_seconds}s)"
    scripts/fuzz.sh "$fuzz_seconds"
fi
echo "== all tests passed"
