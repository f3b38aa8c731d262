#!/usr/bin/env python3
"""Measures how `topoc build` cost grows with topology size.

Generates topologies at several sizes (up to 256 shards x 3 members, 300 tables,
1,000 tenants, 36 monthly partitions per partitioned table), builds each with the
release `topoc`, interleaving sizes so machine noise hits all of them alike, and
prints the median wall time, peak memory (max RSS of the topoc process) and output
bytes, with ratios to the smallest size measured in the same run.

Each run builds into a new folder (all are deleted at the end); --after-delete builds into the
folder the previous run wrote, deleted just before, as this benchmark did until 2026-12-04.

Usage: Benchmarks/build-scaling/bench.py [--runs N] [--topoc PATH] [--after-delete] [--work DIR] [--smoke]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SIZES = [
    # name, shards, members, tables, tenants, partition months
    ("S", 4, 3, 10, 10, 12),
    ("M", 32, 3, 60, 100, 24),
    ("L", 128, 3, 150, 500, 36),
    ("XL", 256, 3, 300, 1000, 36),
]


def topology(shards, members, tables, tenants, months):
    lines = [
        "version: 1",
        "topology: bench",
        "postgres: 15",
        "guarantees: { consistency: read-your-writes, partition: CP, rpo: 0, rto: 30s }",
        "clusters:",
        f"  shard: {{ members: {members}, replication: {{ mode: synchronous, sync_count: 1, strict: true }} }}",
        "sharding:",
        "  key: tenant_key",
        "  key_type: bigint",
        "  strategy: consistent-hash",
        f"  shards: {shards}",
        "  virtual_nodes: 150",
        "  cluster: shard",
        "  reference: [ref_0]",
        "tenancy:",
        "  mode: shared-schema",
        "  column: tenant_id",
        "  column_type: bigint",
        "  shared_tables: [ref_0]",
        "  tenants: [" + ", ".join(f"t{i}" for i in range(tenants)) + "]",
        "tables:",
        "  ref_0:",
        "    columns: { id: bigint, name: text }",
        "    primary_key: [id]",
    ]
    end_year = 2024 + months // 12
    for t in range(1, tables):
        lines += [
            f"  table_{t}:",
            "    columns:",
            "      tenant_key: bigint",
            "      tenant_id: { type: bigint, nullable: false }",
            "      id: bigint",
            "      body: jsonb",
            "      created_at: { type: timestamptz, nullable: false, default: now() }",
            "    primary_key: [tenant_key, tenant_id, id, created_at]",
            "    indexes:",
            "      - { columns: [tenant_id, created_at], include: [id] }",
            "      - { method: gin, columns: [body] }",
        ]
        if t % 3 == 0:
            lines += [
                "    partitioning:",
                f"      {{ by: range, key: created_at, interval: monthly, from: 2024-01-01, to: {end_year}-01-01, default: true }}",
            ]
    return "\n".join(lines) + "\n"


AFTER_DELETE_HELP = (
    "build each run into the folder the previous run wrote, deleted just before (the measurement of "
    "2026-12-04 and earlier); by default every run writes a folder of its own and all are deleted at "
    "the end, because ext4 makes files created right after thousands were deleted cost several times "
    "more system time (perf: recently_deleted() in ext4_create), a cost of the benchmark's own "
    "deletion, not of a build")


WORK_HELP = (
    "the folder under which the runs build (a new folder is made in it and deleted at the end; "
    "default: the system's temporary folder). On a tmpfs such as /dev/shm the kernel's cost of "
    "creating thousands of files on ext4 stays out of the wall time, which then shows topoc's own work")


def output_folder(work, name, run, after_delete):
    """The folder a run builds into: one per run, or one per size with --after-delete."""
    return os.path.join(work, f"out-{name}" if after_delete else f"out-{name}-{run}")


def measure(topoc, source, output, target=None):
    shutil.rmtree(output, ignore_errors=True)
    start = time.perf_counter()
    process = subprocess.Popen([topoc, "build", source, "-o", output, "--quiet"] + (["--target", target] if target else []),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"topoc build failed for {source}: {process.stderr.read().decode()}")
    total = 0
    for folder, _, files in os.walk(output):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
    # The process's own CPU time (user): what topoc computes, without the file system's share
    # (creating thousands of files after deleting them costs the kernel a varying amount).
    return elapsed, usage.ru_maxrss / 1024.0, total, usage.ru_utime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--topoc", default=None)
    parser.add_argument("--after-delete", action="store_true", help=AFTER_DELETE_HELP)
    parser.add_argument("--work", default=None, help=WORK_HELP)
    parser.add_argument("--smoke", action="store_true",
                        help="build the smallest size once, to prove the generated topologies still compile")
    args = parser.parse_args()
    sizes = SIZES[:1] if args.smoke else SIZES
    runs = 1 if args.smoke else args.runs
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    topoc = args.topoc
    if topoc is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "topoc"], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        topoc = os.path.join(root, ".build", "release", "topoc")
    work = tempfile.mkdtemp(prefix="topoc-bench-", dir=args.work)
    try:
        sources = {}
        for name, *shape in sizes:
            path = os.path.join(work, f"{name}.yaml")
            with open(path, "w") as handle:
                handle.write(topology(*shape))
            sources[name] = path
        results = {name: [] for name, *_ in sizes}
        for run in range(runs):
            for name, *_ in sizes:  # interleaved: noise hits every size alike
                output = output_folder(work, name, run, args.after_delete)
                results[name].append(measure(topoc, sources[name], output))
        base = statistics.median(r[0] for r in results[SIZES[0][0]])
        print(f"topoc build scaling, median of {runs} interleaved runs ({topoc})")
        print(f"{'size':<4} {'shards':>6} {'members':>7} {'tables':>6} {'tenants':>7} {'months':>6} "
              f"{'yaml KB':>8} {'time ms':>8} {'x S':>6} {'peak MB':>8} {'out MB':>7}")
        for name, shards, members, tables, tenants, months in sizes:
            times = [r[0] for r in results[name]]
            t = statistics.median(times)
            rss = max(r[1] for r in results[name])
            out = results[name][0][2]
            size_kb = os.path.getsize(sources[name]) / 1024
            print(f"{name:<4} {shards:>6} {shards * members:>7} {tables:>6} {tenants:>7} {months:>6} "
                  f"{size_kb:>8.1f} {t * 1000:>8.1f} {t / base:>6.2f} {rss:>8.1f} {out / 1e6:>7.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
