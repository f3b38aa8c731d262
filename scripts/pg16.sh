#!/usr/bin/env bash
# Prepares PostgreSQL 16 binaries for the multi-primary tests and prints
# `export TOPOC_PG16_BIN=<folder>` (use: eval "$(scripts/pg16.sh)").
# Debian 12 ships PostgreSQL 15 only, and multi-primary groups need 16 (origin = none): the
# binaries come from the `pgserver` wheel on PyPI (PostgreSQL 16.2 with pgoutput and
# libpqwalreceiver), unpacked once into /opt/topoc-pg16 (root) or .build-tools/pg16, a folder
# the postgres user can read. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.1.4
if [[ $(id -u) -eq 0 ]]; then home=${TOPOC_PG16_HOME:-/opt/topoc-pg16}; else home=${TOPOC_PG16_HOME:-$PWD/.build-tools/pg16}; fi
bin=$home/pgserver/pginstall/bin
if [[ ! -x $bin/postgres || $(cat "$home/.version" 2>/dev/null) != "$version" ]]; then
    venv=.build-tools/venv
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv" >&2
    wheels=$(mktemp -d)
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps "pgserver==$version" -d "$wheels" >&2
    rm -rf "$home"
    mkdir -p "$home"
    "$venv/bin/python" -m zipfile -e "$wheels"/pgserver-"$version"-*.whl "$home" >&2
    rm -rf "$wheels"
    chmod -R a+rX "$home"
    chmod a+x "$bin"/*
    echo "$version" >"$home/.version"
fi
"$bin/postgres" --version | grep -q ' 16\.' || { echo "pg16: $bin/postgres is not PostgreSQL 16" >&2; exit 1; }
echo "export TOPOC_PG16_BIN=$bin"
