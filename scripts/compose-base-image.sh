#!/usr/bin/env bash
# Prepares podman for the compose target's real run (scripts/test-compose.sh). Idempotent.
#   1. /etc/containers/containers.conf: runc (crun fails on this machine's hybrid cgroup layout),
#      cgroupfs, file events, and default ulimits within the sandbox's hard limits.
#   2. the Debian 12 base image, built with debootstrap (there is no registry here) from the
#      mirror apt already uses, stored as localhost/topoc-debian-bookworm and cached as a tarball
#      in .build-tools/compose/ so a wiped image store does not need a second debootstrap.
#      scripts/test-compose.sh tags it to the name the generated Dockerfile's FROM names.
set -euo pipefail
cd "$(dirname "$0")/.."

image=localhost/topoc-debian-bookworm:latest
cache=.build-tools/compose
tarball=$cache/debian-bookworm-minbase.tar

log() { echo "compose-base-image: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
    log "not root: skipped (podman here runs as root)"
    exit 0
fi
command -v podman >/dev/null || { log "podman missing"; exit 1; }

conf=/etc/containers/containers.conf
if ! grep -qs '^runtime = "runc"' "$conf"; then
    mkdir -p /etc/containers
    [[ -f $conf ]] && cp "$conf" "$conf.before-topoc"
    cat >"$conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
    log "wrote $conf"
fi

if podman image exists "$image"; then
    exit 0
fi
mkdir -p "$cache"
if [[ ! -s $tarball ]]; then
    sources=/etc/apt/sources.list.d/debian.sources
    mirror=$(awk '/^URIs:/ { print $2; exit }' "$sources")
    root=$(mktemp -d /tmp/topoc-debootstrap.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    log "debootstrap bookworm from $mirror (about a minute)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 || {
        tail -20 "$cache/debootstrap.log" >&2
        exit 1
    }
    rm -f "$root/etc/apt/sources.list"
    cp "$sources" "$root/etc/apt/sources.list.d/debian.sources"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 0755 "$root/usr/sbin/policy-rc.d"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
    tar -C "$root" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
fi
podman import "$tarball" "$image" >/dev/null
log "imported $image ($(cat "$tarball" | tar -xOf - ./etc/debian_version 2>/dev/null || echo '?'))"
