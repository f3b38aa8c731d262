#!/usr/bin/env python3
"""The design guide's consistent-hash ring, re-implemented here from its description, as the
baseline that RoutingLookup measures beside topoc's ring in the same run.

The guide's ring: every shard gets `virtual_nodes` points at MD5("shard_<id>_vnode_<n>") read as
a 128-bit integer; the points are kept sorted; a key goes to the owner of the first point above
MD5(key) (`bisect_right`), wrapping to the first point. Keys are the same text keys as the Swift
rows ("user-<n>"). Prints one line: `<ns per lookup> <checksum>`.

Usage: guide_ring.py [LOOKUPS]
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


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    points, shards = build()
    keys = [f"user-{(n * 2654435761) % 4294967296}" for n in range(count)]
    checksum = 0
    for key in keys[:10_000]:  # warm up
        checksum += lookup(points, shards, key)
    start = time.perf_counter_ns()
    for key in keys:
        checksum += lookup(points, shards, key)
    elapsed = time.perf_counter_ns() - start
    print(f"{elapsed / count:.1f} {checksum & 0xFFFF}")


if __name__ == "__main__":
    main()
