#!/usr/bin/env python3
"""The design guide's consistent-hash ring, re-implemented here from its description, as the
baseline that RoutingLookup measures beside topoc's ring in the same run.

The guide's ring: every shard gets `virtual_nodes` points at MD5("shard_<id>_vnode_<n>") read as
a 128-bit integer; the points are kept sorted; a key goes to the owner of the first point above
MD5(key) (`bisect_right`), wrapping to the first point. Keys are the same kind of text keys as
the Swift rows ("user-<n>"), or with KIND `int` integer user ids, routed as the guide routes them:
`get_shard(str(user_id))` (the text conversion is part of each lookup, as in the guide's
`insert_user` and `get_user`). Prints one line:
`<ns per lookup, mean> <checksum> <ns per lookup, best round> <ns per lookup, wall clock>`.

Usage: guide_ring.py [LOOKUPS [ROUNDS [KIND]]]  (the lookups are split into ROUNDS equal rounds,
default 1; the best round is the one least disturbed by other work on the machine; times are the
thread's CPU time, as in RoutingLookup; KIND is `text` (default) or `int`)
"""
import bisect
import hashlib
import sys
import time

SHARDS = 16
VIRTUAL_NODES = 150


def position(text):
    return int.from_bytes(hashlib.md5(text.encode()).digest(), "big")


def build():
    owners = {}
    for shard in range(SHARDS):
        for node in range(VIRTUAL_NODES):
            owners[position(f"shard_{shard}_vnode_{node}")] = shard
    points = sorted(owners)
    return points, [owners[point] for point in points]


def lookup(points, shards, key):
    index = bisect.bisect_right(points, position(key))
    return shards[index if index < len(points) else 0]


def lookup_user(points, shards, user_id):
    return lookup(points, shards, str(user_id))


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    kind = sys.argv[3] if len(sys.argv) > 3 else "text"
    if kind not in ("text", "int"):
        sys.exit(f"KIND is text or int, not {kind!r}")
    points, shards = build()
    ids = [(n * 2654435761) % 4294967296 for n in range(count)]
    keys = [f"user-{user_id}" for user_id in ids] if kind == "text" else ids
    route = lookup if kind == "text" else lookup_user
    checksum = 0
    for key in keys[:10_000]:  # warm up
        checksum += route(points, shards, key)
    size = count // rounds
    total = 0
    best = None
    wall_start = time.perf_counter_ns()
    for round_number in range(rounds):
        start = time.thread_time_ns()
        for key in keys[round_number * size:(round_number + 1) * size]:
            checksum += route(points, shards, key)
        elapsed = time.thread_time_ns() - start
        total += elapsed
        best = elapsed if best is None else min(best, elapsed)
    wall = time.perf_counter_ns() - wall_start
    print(f"{total / (size * rounds):.1f} {checksum & 0xFFFF} {best / size:.1f} {wall / (size * rounds):.1f}")


if __name__ == "__main__":
    main()
