#!/usr/bin/env bash
# The migration corpus (Tests/PostgresIntegrationTests/Migration/MigrationCorpusTests) on
# PostgreSQL 16: a throwaway PostgreSQL 16 server (scripts/pg16.sh's binaries, started by
# scripts/pg-server.sh on TOPOC_PG16_PORT, default 55433, stopped on exit) and the same pairs
# the PostgreSQL 15 run checks, each migrated database compared with a fresh one by PostgreSQL
# 16's own pg_dump. Those binaries have no contrib: citext columns become text, and the pairs
# that need pg_partman are not run there (the run prints them). About 2 minutes.
# Needs a build (swift build --build-tests); builds with SCRATCH_PATH (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH_PATH:-.build}
port=${TOPOC_PG16_PORT:-55433}

[[ -n ${TOPOC_PG16_BIN:-} ]] || eval "$(scripts/pg16.sh)"
export TOPOC_PG_BIN=$TOPOC_PG16_BIN
TOPOC_PG_PORT=$port scripts/pg-server.sh start >/dev/null
trap 'TOPOC_PG_PORT=$port scripts/pg-server.sh stop >/dev/null 2>&1 || true' EXIT

started=$(date +%s)
TOPOC_PG_PORT=$port swift test --scratch-path "$scratch" --skip-build --filter 'MigrationCorpusTests'
echo "test-migration-pg16: $(($(date +%s) - started))s"
