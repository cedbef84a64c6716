"""Benchmark the synthetic world generator: time per stage, rows and MB per file, CPU time and peak memory.

Usage: ``.venv/bin/python benchmarks/synth.py [--persons 1000000] [--seed 1] [--out DIR] [--noise default]``
(without ``--out`` a temporary directory is used and removed afterwards).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from synthworld.cli import synth


def main() -> None:
    """Run one generation and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=None)
    parser.add_argument("--noise", default="default")
    args = parser.parse_args()
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="synth-bench-"))
    timings: dict[str, float] = {}
    cpu0 = os.times()
    wall0 = time.perf_counter()
    rows = synth(args.seed, args.persons, out, noise=args.noise, timings=timings)
    wall = time.perf_counter() - wall0
    cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"synthworld benchmark: {args.persons:,} persons, seed {args.seed}, noise {args.noise}")
    print("\nstage                                   seconds")
    for name, sec in timings.items():
        if name not in ("total", "generate"):
            print(f"  {name:38s} {sec:8.2f}")
    print(f"  {'generate (all world stages)':38s} {timings['generate']:8.2f}")
    print("\nfile                                         rows        MB")
    total_mb = 0.0
    for name, n in rows.items():
        mb = (out / "exports" / name).stat().st_size / 1e6
        total_mb += mb
        print(f"  {name:38s} {n:>10,d} {mb:9.1f}")
    for f in sorted((out / "truth").iterdir()):
        mb = f.stat().st_size / 1e6
        total_mb += mb
        print(f"  {'truth/' + f.name:38s} {'':>10s} {mb:9.1f}")
    print(f"\nwall {wall:.1f} s   cpu {cpu:.1f} s   peak RSS {peak_mb:,.0f} MB   output {total_mb:,.0f} MB   "
          f"load average {os.getloadavg()[0]:.1f}")
    if not args.out:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
