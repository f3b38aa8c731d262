#!/usr/bin/env python3
"""Compares two `topoc` binaries on the build-scaling topologies in one run.

Builds each size with both binaries, alternating them run by run (A, B, B, A, ...) so machine
noise hits both alike, and prints each binary's median wall time, median user CPU time (topoc's
own work, without the kernel's varying cost of creating the files) and peak memory per size,
with the ratios B/A. The topologies are those of bench.py.

With --topology FILE (repeatable) it builds those files instead of the sizes, for example a
topology at a documented maximum written by `Benchmarks/validate-scaling/bench.py --emit shards 4096`.

Every run builds into a new folder unless --after-delete (see bench.py).

Usage: Benchmarks/build-scaling/compare.py --before PATH --after PATH [--runs N] [--sizes L,XL]
       [--topology FILE ...] [--after-delete] [--work DIR] [--target TARGET]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import AFTER_DELETE_HELP, SIZES, WORK_HELP, measure, output_folder, topology  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the topoc binary to compare against (A)")
    parser.add_argument("--after", required=True, help="the topoc binary measured (B)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="L,XL", help="comma-separated size names of bench.py")
    parser.add_argument("--topology", action="append", default=[], help="a topology file to build instead of the sizes")
    parser.add_argument("--after-delete", action="store_true", help=AFTER_DELETE_HELP)
    parser.add_argument("--work", default=None, help=WORK_HELP)
    parser.add_argument("--target", default=None, help="the build's deployment target (the topology's default if not given)")
    args = parser.parse_args()
    wanted = args.sizes.split(",")
    sizes = [size for size in SIZES if size[0] in wanted]
    files = {os.path.splitext(os.path.basename(path))[0]: path for path in args.topology}
    if files:
        sizes = [(name,) for name in files]
    if not sizes:
        sys.exit(f"no size among {wanted}; bench.py has {[size[0] for size in SIZES]}")
    binaries = {"before": args.before, "after": args.after}
    work = tempfile.mkdtemp(prefix="topoc-compare-", dir=args.work)
    try:
        results = {(name, which): [] for name, *_ in sizes for which in binaries}
        for name, *shape in sizes:
            source = files.get(name) or os.path.join(work, f"{name}.yaml")
            if name not in files:
                with open(source, "w") as handle:
                    handle.write(topology(*shape))
            for run in range(args.runs):
                order = ["before", "after"] if run % 2 == 0 else ["after", "before"]
                for which in order:
                    output = output_folder(work, f"{name}-{which}", run, args.after_delete)
                    results[(name, which)].append(measure(binaries[which], source, output, args.target))
        target = f" --target {args.target}" if args.target else ""
        print(f"topoc build{target}, median of {args.runs} alternating runs per binary")
        print(f"  before: {args.before}\n  after:  {args.after}")
        width = max(4, *(len(name) for name, *_ in sizes))
        print(f"{'size':<{width}} {'before ms':>10} {'after ms':>10} {'after/before':>13} "
              f"{'before user ms':>15} {'after user ms':>14} {'user after/before':>18} "
              f"{'before MB':>10} {'after MB':>9} {'before out MB':>14} {'after out MB':>13}")
        for name, *_ in sizes:
            before = results[(name, "before")]
            after = results[(name, "after")]
            tb = statistics.median(r[0] for r in before)
            ta = statistics.median(r[0] for r in after)
            ub = statistics.median(r[3] for r in before)
            ua = statistics.median(r[3] for r in after)
            print(f"{name:<{width}} {tb * 1000:>10.1f} {ta * 1000:>10.1f} {ta / tb:>13.2f} "
                  f"{ub * 1000:>15.1f} {ua * 1000:>14.1f} {ua / ub:>18.2f} "
                  f"{max(r[1] for r in before):>10.1f} {max(r[1] for r in after):>9.1f} "
                  f"{before[0][2] / 1e6:>14.2f} {after[0][2] / 1e6:>13.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
