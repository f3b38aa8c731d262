#!/usr/bin/env bash
# Fuzzes the topology parser with libFuzzer + AddressSanitizer for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS]. Fails on any crash, leak, timeout or sanitizer report;
# crashing inputs are kept in .build-fuzz/crashes/ (replay: swift run TopologyFuzz FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

swift build --scratch-path .build-fuzz -c debug --sanitize fuzzer --sanitize address \
    -Xswiftc -DFUZZING --product TopologyFuzz

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp examples/*.yaml "$corpus/"
if [[ -d Tests/TopologyCompilerTests/Corpus/Inputs ]]; then
    cp Tests/TopologyCompilerTests/Corpus/Inputs/* "$corpus/" 2>/dev/null || true
fi
mkdir -p .build-fuzz/crashes
.build-fuzz/debug/TopologyFuzz "$corpus" \
    -max_total_time="$seconds" -max_len=8192 -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix=.build-fuzz/crashes/ -print_final_stats=1 2>&1 | tail -n 12
echo "fuzz: no crash in ${seconds}s"
