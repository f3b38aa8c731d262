#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine (Debian packages and PyPI only).
# Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
# PostgreSQL 15 server with the extensions the DDL tests load; the cluster suite's servers
# (Patroni, etcd, PgBouncer, HAProxy), curl for etcd's JSON gateway in the compaction test and for
# HTTPS probes under TLS, openssl for `topoc up`'s throwaway CA (ClusterTLSTests), and
# docker-compose to validate the compose file; Graphviz to render the graph views (scripts/check-graphs.sh);
# podman, podman-compose, runc and debootstrap to run the compose target for real
# (scripts/test-compose.sh), with the CNI plugin that resolves service names on a podman network (dnsname);
# pgBackRest for the backup section (archiving, backups, point-in-time restore, replicas from the repository).
for package in postgresql-15 postgresql-15-cron postgresql-15-partman postgresql-15-wal2json \
    patroni etcd-server curl openssl pgbouncer haproxy docker-compose graphviz \
    podman podman-compose runc debootstrap golang-github-containernetworking-plugin-dnsname pgbackrest; do
    dpkg -s "$package" >/dev/null 2>&1 || need_apt+=("$package")
done
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "install-deps: need root to apt-get install ${need_apt[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_apt[@]}"
fi

scripts/compose-base-image.sh

# Python tools (check-jsonschema, mermaidx) are installed into .build-tools/venv by the scripts that use them;
# squawk (the migration linter SquawkLintTests runs on every `topoc migrate` script of the corpus) here.
squawk_version=2.70.0
venv=.build-tools/venv
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
if [[ $("$venv/bin/python" -m pip show squawk-cli 2>/dev/null | sed -n 's/^Version: //p') != "$squawk_version" ]]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "squawk-cli==$squawk_version"
fi
echo "install-deps: ok"
