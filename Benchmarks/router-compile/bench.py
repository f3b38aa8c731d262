#!/usr/bin/env python3
"""Measures what the generated Swift router costs the application's build, for two topoc binaries.

An application that applies topoc's build plugin compiles the generated router on every clean
build. For each size of Benchmarks/build-scaling (consistent-hash rings of 4 to 256 shards x 150
virtual nodes) it builds the topology with each binary, then compiles the generated file with
`swiftc` against TopologyRuntime's module (the release build's, --modules), in debug (-Onone) and
release (-O) mode, alternating the binaries run by run so machine noise hits both alike. It prints
the median wall time, user CPU time and peak memory of the compiler and the file's size.

Usage: Benchmarks/router-compile/bench.py --before PATH --after PATH [--runs N] [--sizes M,XL]
       [--topology FILE ...] [--modes=-Onone,-O] [--modules .build/release/Modules]

--topology adds a row per topology file (for example validate-scaling/bench.py --emit shards 4096);
--sizes "" leaves the build-scaling sizes out.
"""
import argparse
import glob
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build-scaling"))
from bench import SIZES, topology  # noqa: E402


def generated_router(topoc, source, output):
    """Builds the topology with one binary; returns the generated router's path."""
    if os.path.exists(output):
        shutil.rmtree(output)
    result = subprocess.run([topoc, "build", source, "-o", output], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{topoc} build failed:\n{result.stdout}{result.stderr}")
    files = glob.glob(os.path.join(output, "swift", "*.swift"))
    if len(files) != 1:
        sys.exit(f"expected one generated Swift file in {output}/swift, found {files}")
    return files[0]


def compile_once(router, modules, optimization, work):
    """Compiles the router to an object file; returns (wall s, user CPU s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(
        ["swiftc", "-c", "-parse-as-library", optimization, "-module-name", "Router", "-I", modules, router,
         "-o", os.path.join(work, "router.o")],
        capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"swiftc {optimization} {router} failed:\n{result.stderr[-4000:]}")
    return wall, after.ru_utime - before.ru_utime


def peak_mb(router, modules, optimization, work):
    """The compiler's peak RSS for one compile, measured in a process of its own."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "swiftc", "-c", "-parse-as-library", optimization, "-module-name", "Router",
         "-I", modules, router, "-o", os.path.join(work, "router.o")],
        capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"swiftc failed:\n{result.stderr[-4000:]}")
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="the topoc binary to compare against (A)")
    parser.add_argument("--after", required=True, help="the topoc binary measured (B)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="M,XL", help="comma-separated size names of build-scaling/bench.py")
    parser.add_argument("--topology", action="append", default=[], help="a topology file to measure as well")
    parser.add_argument("--modes", default="-Onone,-O", help="comma-separated swiftc optimization modes")
    parser.add_argument("--modules", default=".build/release/Modules", help="where TopologyRuntime.swiftmodule is")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.modules, "TopologyRuntime.swiftmodule")):
        sys.exit(f"no TopologyRuntime.swiftmodule in {args.modules}: run `swift build -c release` first")
    wanted = [size for size in args.sizes.split(",") if size]
    sizes = [size for size in SIZES if size[0] in wanted]
    binaries = [("before", args.before), ("after", args.after)]
    print("| size | tokens | mode | before KB | after KB | before s | after s | after/before | before user s | "
          "after user s | before MB | after MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        rows = []
        for name, shards, members, tables, tenants, months in sizes:
            source = os.path.join(work, f"{name}.yaml")
            with open(source, "w") as handle:
                handle.write(topology(shards, members, tables, tenants, months))
            rows.append((name, f"{shards * 150:,}", source))
        rows += [(os.path.basename(path), "", path) for path in args.topology]
        for name, tokens, source in rows:
            routers = {label: generated_router(binary, source, os.path.join(work, f"{name}-{label}"))
                       for label, binary in binaries}
            for optimization in args.modes.split(","):
                times = {label: [] for label, _ in binaries}
                users = {label: [] for label, _ in binaries}
                for run in range(args.runs):
                    order = binaries if run % 2 == 0 else list(reversed(binaries))
                    for label, _ in order:
                        wall, user = compile_once(routers[label], args.modules, optimization, work)
                        times[label].append(wall)
                        users[label].append(user)
                peaks = {label: peak_mb(routers[label], args.modules, optimization, work) for label, _ in binaries}
                median = {label: statistics.median(values) for label, values in times.items()}
                user = {label: statistics.median(values) for label, values in users.items()}
                size_kb = {label: os.path.getsize(path) / 1024 for label, path in routers.items()}
                print(f"| {name} | {tokens} | {optimization} | {size_kb['before']:,.0f} | {size_kb['after']:,.0f} | "
                      f"{median['before']:.2f} | {median['after']:.2f} | {median['after'] / median['before']:.3f} | "
                      f"{user['before']:.2f} | {user['after']:.2f} | {peaks['before']:,.0f} | {peaks['after']:,.0f} |",
                      flush=True)

if __name__ == "__main__":
    main()
