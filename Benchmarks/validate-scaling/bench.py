#!/usr/bin/env python3
"""Measures how `topoc validate` and `topoc build` cost grow along each dimension of a topology.

For each dimension (tables, shards, virtual nodes, range shards, shards with change data capture, tenants,
tenant databases, partitions) it generates a topology
at a size and at twice that size, runs the release `topoc` on both (interleaved, median of
--runs), and prints the time, the peak memory (max RSS) and the ratio of the doubled size to the
size: about 2.0 means linear, about 4.0 quadratic; the same for the user CPU time (topoc's own
work, which the file system's cost of creating thousands of files does not blur). The largest
rows are at the documented maxima (4,096 shards, 4,096 virtual nodes, 5,000 partitions per
table), or the largest size whose doubling reaches one.

Usage: Benchmarks/validate-scaling/bench.py [--runs N] [--topoc PATH] [--build [--target T]] [--only DIM]
       Benchmarks/validate-scaling/bench.py --emit DIM SIZE   (prints that topology and exits)
"""
import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HEAD = [
    "version: 1",
    "topology: scale",
    "postgres: 15",
    # No rpo: a topology that promises one must have a backup section (TBK701), and a refused
    # topology stops before planning, which would measure nothing.
    "guarantees: { consistency: eventual, partition: CP }",
]


def single(tables=1, partitions=0, tenants=0):
    lines = HEAD + ["clusters:", "  main: { members: 1 }"]
    if tenants:
        lines += ["tenancy:", "  mode: shared-schema", "  column: tenant_id",
                  "  tenants: [" + ", ".join(f"t{i}" for i in range(tenants)) + "]"]
    lines.append("tables:")
    for t in range(tables):
        lines += [f"  table_{t}:", "    columns:", "      id: bigint", "      at: { type: timestamptz, nullable: false }"]
        if tenants:
            lines.append("      tenant_id: { type: text, nullable: false }")
        lines.append("    primary_key: [id, at]" if not tenants else "    primary_key: [tenant_id, id, at]")
        if partitions and t == 0:
            end = datetime.date(2000, 1, 1) + datetime.timedelta(days=partitions)
            lines += ["    partitioning:",
                      f"      {{ by: range, key: at, interval: daily, from: 2000-01-01, to: {end.isoformat()} }}"]
    return "\n".join(lines) + "\n"


def tenant_databases(tenants):
    # Database-per-tenant: a database and a login role per tenant on one cluster; a pool of one
    # connection per database so that PgBouncer's sizing rule (TPB504) admits thousands of them.
    lines = HEAD + ["clusters:", "  main: { members: 1, settings: { max_connections: 20000 } }",
                    "pooling:", "  read_write: { pool_size: 1 }",
                    "tenancy:", "  mode: database-per-tenant", "  prefix: tenant_",
                    "  tenants: [" + ", ".join(f"t{i}" for i in range(tenants)) + "]",
                    "tables:", "  patients:", "    columns: { id: bigint, name: text }", "    primary_key: [id]"]
    return "\n".join(lines) + "\n"


def sharded(shards, virtual_nodes, tables=2, capture=False, balanced=False):
    lines = HEAD + [
        "clusters:",
        "  shard: { members: 1 }",
        "sharding:",
        "  key: id",
        "  key_type: bigint",
        "  strategy: consistent-hash",
        f"  shards: {shards}",
        f"  virtual_nodes: {virtual_nodes}",
    ] + (["  token_placement: balanced"] if balanced else []) + [
        "  cluster: shard",
        "tables:",
    ]
    for t in range(tables):
        lines += [f"  table_{t}:", "    columns: { id: bigint, body: text }", "    primary_key: [id]"]
    if capture:
        # Every shard database publishes the sharded table_0 to a connector of its own.
        lines += ["cdc:", "  publication: scale_changes", "  slot: scale_debezium", "  plugin: pgoutput",
                  "  sink: { topic_prefix: scale, snapshot_mode: initial }", "  tables:", "    table_0: { method: logical }"]
    return "\n".join(lines) + "\n"


def ranged(shards, tables=1):
    """Range sharding: `shards` half-open ranges of 1,000 keys, the first and last unbounded."""
    lines = HEAD + ["clusters:", "  shard: { members: 1 }", "sharding:", "  key: id", "  key_type: bigint",
                    "  strategy: range", "  cluster: shard", "  ranges:"]
    for i in range(shards):
        bounds = ([f"from: {i * 1000}"] if i > 0 else []) + ([f"to: {(i + 1) * 1000}"] if i < shards - 1 else [])
        lines.append("    - { " + ", ".join(bounds) + " }")
    lines.append("tables:")
    for t in range(tables):
        lines += [f"  table_{t}:", "    columns: { id: bigint, body: text }", "    primary_key: [id]"]
    return "\n".join(lines) + "\n"


DIMENSIONS = [
    # name, size, generator of a topology of that size
    ("tables", 5000, lambda n: single(tables=n)),
    ("shards (150 virtual nodes)", 2048, lambda n: sharded(n, 150)),
    ("shards, balanced ring (150 virtual nodes)", 2048, lambda n: sharded(n, 150, balanced=True)),
    ("virtual nodes (16 shards)", 2048, lambda n: sharded(16, n)),
    ("range shards", 2048, ranged),
    ("shards capturing a sharded table (150 virtual nodes)", 512, lambda n: sharded(n, 150, capture=True)),
    ("tenants", 5000, lambda n: single(tables=4, tenants=n)),
    ("tenant databases (database-per-tenant)", 2000, tenant_databases),
    ("daily partitions of a table", 2500, lambda n: single(tables=2, partitions=n)),
]


def run(topoc, command, source, output, target):
    arguments = [topoc, command, source] + (["-o", output, "--quiet", "--target", target] if command == "build" else [])
    if command == "build":
        shutil.rmtree(output, ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"topoc {command} failed ({code}) for {source}: {process.stderr.read().decode()[:2000]}")
    # User CPU time too: topoc's own work, without the file system's varying share.
    return elapsed, usage.ru_maxrss / 1024.0, usage.ru_utime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--topoc", default=None)
    parser.add_argument("--build", action="store_true", help="also run topoc build (writes the output)")
    parser.add_argument("--only", default=None, help="run the dimensions whose name starts with this")
    parser.add_argument("--target", default="compose", help="the build's target (compose, local, kubernetes)")
    parser.add_argument("--emit", nargs=2, metavar=("DIM", "SIZE"), help="print the topology of a dimension at a size")
    args = parser.parse_args()
    if args.emit:
        matches = [make for name, _, make in DIMENSIONS if name.startswith(args.emit[0])]
        if not matches:
            sys.exit(f"no dimension starts with {args.emit[0]!r}: {[name for name, _, _ in DIMENSIONS]}")
        sys.stdout.write(matches[0](int(args.emit[1])))
        return
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    topoc = args.topoc
    if topoc is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "topoc"], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        topoc = os.path.join(root, ".build", "release", "topoc")
    dimensions = [d for d in DIMENSIONS if args.only is None or d[0].startswith(args.only)]
    commands = ["validate"] + (["build"] if args.build else [])
    work = tempfile.mkdtemp(prefix="topoc-scale-")
    try:
        print(f"topoc scaling per dimension, median of {args.runs} interleaved runs ({topoc})")
        print(f"{'dimension':<28} {'command':<8} {'size':>6} {'ms':>9} {'MB':>7} {'2x size':>7} {'ms':>9} {'MB':>7} {'ratio':>6}"
              f" {'user ms':>9} {'2x user ms':>10} {'user ratio':>10}")
        for name, size, make in dimensions:
            sources = []
            for n in (size, size * 2):
                path = os.path.join(work, f"{name.split()[0]}-{n}.yaml")
                with open(path, "w") as handle:
                    handle.write(make(n))
                sources.append(path)
            for command in commands:
                results = [[], []]
                for _ in range(args.runs):
                    for index, source in enumerate(sources):
                        results[index].append(run(topoc, command, source, os.path.join(work, "out"), args.target))
                small, large = (statistics.median(r[0] for r in rows) for rows in results)
                small_mb, large_mb = (max(r[1] for r in rows) for rows in results)
                small_user, large_user = (statistics.median(r[2] for r in rows) for rows in results)
                print(f"{name:<28} {command:<8} {size:>6} {small * 1000:>9.1f} {small_mb:>7.1f} {size * 2:>7} "
                      f"{large * 1000:>9.1f} {large_mb:>7.1f} {large / small:>6.2f}"
                      f" {small_user * 1000:>9.1f} {large_user * 1000:>10.1f} {large_user / max(small_user, 1e-3):>10.2f}",
                      flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
