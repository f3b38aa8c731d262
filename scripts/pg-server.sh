#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on 127.0.0.1 for the DDL integration tests.
#
#   scripts/pg-server.sh start    initdb + start; prints `export PGHOST=... PGPORT=... PGUSER=... TOPOC_PG_PORT=...`
#                                 on stdout (so `eval "$(scripts/pg-server.sh start)"` works); logs go to stderr
#   scripts/pg-server.sh stop     stop the server and remove its data directory
#   scripts/pg-server.sh status   say whether it runs (exit 0) or not (exit 3)
#   scripts/pg-server.sh env      print the export line again
#
# Environment:
#   TOPOC_PG_PORT   the port (default 55432)
#   TOPOC_PG_DIR    the data directory (default /tmp/topoc-pg-<port>); removed by `stop`
#   TOPOC_PG_BIN    the server binaries (default /usr/lib/postgresql/15/bin)
#
# initdb and postgres refuse to run as root: as root the server runs as Debian's `postgres`
# user (setpriv), otherwise as the calling user. Authentication is `trust` on 127.0.0.1 and
# the private socket directory only: this server is for tests and must never hold real data.
# The settings are the ones the generated DDL needs: pg_cron preloaded with
# cron.database_name = postgres and cron.use_background_workers = on (jobs then run without
# a libpq connection, which fails with "connection failed" under scram on TCP localhost),
# wal_level = logical with replication slots, and fsync switched off for speed (commits still
# flush, so logical decoding sees them at once).
set -euo pipefail

port=${TOPOC_PG_PORT:-55432}
data=${TOPOC_PG_DIR:-/tmp/topoc-pg-$port}
bin=${TOPOC_PG_BIN:-/usr/lib/postgresql/15/bin}

log() { echo "pg-server: $*" >&2; }

# Runs a command as the server's owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}

print_env() {
    echo "export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres TOPOC_PG_PORT=$port"
}

is_running() {
    [[ -f $data/postmaster.pid ]] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    if is_running; then
        log "already running on 127.0.0.1:$port ($data)"
        print_env
        return
    fi
    if [[ ! -x $bin/initdb ]]; then
        log "no PostgreSQL 15 server in $bin; run scripts/install-deps.sh"
        exit 1
    fi
    rm -rf "$data"
    mkdir -p "$data"
    chmod 700 "$data"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$data"
    fi
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
    cat >>"$data/postgresql.conf" <<EOF

# topoc test server
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 200
max_worker_processes = 20
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
fsync = off
full_page_writes = off
logging_collector = off
EOF
    # pg_cron where the binaries have it (PostgreSQL 16 from scripts/pg16.sh has no contrib).
    if [[ -f $("$bin/pg_config" --sharedir)/extension/pg_cron.control ]]; then
        cat >>"$data/postgresql.conf" <<EOF
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
cron.max_running_jobs = 5
EOF
    fi
    cat >"$data/pg_hba.conf" <<EOF
# topoc test server: trust on the private socket and 127.0.0.1 only
local   all           all                  trust
host    all           all   127.0.0.1/32   trust
local   replication   all                  trust
host    replication   all   127.0.0.1/32   trust
EOF
    if ! as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >&2; then
        log "the server did not start; its log:"
        cat "$data/server.log" >&2 || true
        exit 1
    fi
    log "$("$bin/postgres" --version) on 127.0.0.1:$port ($data)"
    print_env
}

stop() {
    if is_running; then
        as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    fi
    rm -rf "$data"
    log "stopped; removed $data"
}

case ${1:-} in
start) start ;;
stop) stop ;;
status)
    if is_running; then
        log "running on 127.0.0.1:$port ($data)"
    else
        log "not running (port $port)"
        exit 3
    fi
    ;;
env) print_env ;;
*)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
