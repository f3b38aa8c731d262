#!/usr/bin/env bash
# Checks the JSON Schema of the topology language with a real validator:
#   1. schema/topology.schema.json is a valid draft 2020-12 schema (its metaschema, and every
#      pattern is a valid regular expression);
#   2. every examples/*.yaml topology validates against it.
# check-jsonschema comes from PyPI into .build-tools/venv (created on first use, reused after).
# Extra arguments are more files to validate, e.g. scripts/check-schema.sh my-topology.yaml.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

check_jsonschema_version=0.39.0
venv=.build-tools/venv
schema=schema/topology.schema.json

if [[ ! -x $venv/bin/python ]]; then
    echo "check-schema: creating $venv"
    python3 -m venv "$venv"
fi
if [[ $("$venv/bin/python" -m pip show check-jsonschema 2>/dev/null | sed -n 's/^Version: //p') != "$check_jsonschema_version" ]]; then
    echo "check-schema: installing check-jsonschema $check_jsonschema_version"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "check-jsonschema==$check_jsonschema_version"
fi

shopt -s nullglob
files=(examples/*.yaml "$@")
if ((${#files[@]} == 0)); then
    echo "check-schema: no topology to check" >&2
    exit 1
fi

echo "check-schema: $schema against the draft 2020-12 metaschema"
"$venv/bin/check-jsonschema" --check-metaschema "$schema"
echo "check-schema: ${#files[@]} topologies against $schema"
"$venv/bin/check-jsonschema" --schemafile "$schema" "${files[@]}"
