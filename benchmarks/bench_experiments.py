"""Every experiment's run time with its default settings (goal: each ≤ 300 ms, re-run live).

Run:  python benchmarks/bench_experiments.py  [--quick] [--one-thread] [NAME ...]

Each experiment of ``tutor.core.experiments.EXPERIMENTS`` runs once to warm up, then ``reps``
times in turn with the others (so background load hits them alike); the figure is the minimum
wall time, with the process CPU time of that same run beside it (CPU ≫ wall means threaded BLAS,
wall ≫ CPU means the process waited for a core). glibc's malloc thresholds are pinned (the script
re-executes itself with them set); ``--one-thread`` also sets ``OPENBLAS_NUM_THREADS=1``.
"""

from __future__ import annotations

import os
import sys

MALLOC_ENV = {
    # glibc caps the mmap threshold at 32 MiB on 64-bit; larger values are ignored.
    "MALLOC_MMAP_THRESHOLD_": "33554432",
    # never give freed heap memory back to the OS between runs
    "MALLOC_TRIM_THRESHOLD_": "68719476736",
}
WANT = dict(MALLOC_ENV, **({"OPENBLAS_NUM_THREADS": "1"} if "--one-thread" in sys.argv else {}))

if any(os.environ.get(k) != v for k, v in WANT.items()):
    env = dict(os.environ, **WANT)
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tutor.core.experiments import EXPERIMENTS  # noqa: E402

GOAL_MS = 300.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="experiments to time (default: all)")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a rough figure)")
    ap.add_argument("--one-thread", action="store_true", help="OPENBLAS_NUM_THREADS=1")
    args = ap.parse_args()
    names = args.names or list(EXPERIMENTS)
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        print(f"bench_experiments: unknown experiment(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    reps = 2 if args.quick else 5

    print(f"load average before the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"malloc: {', '.join(f'{k}={os.environ[k]}' for k in MALLOC_ENV)} (set by this script)")
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    for name in names:
        EXPERIMENTS[name]()
    best = {n: (float("inf"), 0.0) for n in names}
    for _ in range(reps):
        for name in names:
            c0, t0 = time.process_time(), time.perf_counter()
            EXPERIMENTS[name]()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            if wall < best[name][0]:
                best[name] = (wall, cpu)

    print()
    cols = ["experiment              ", "wall ms", "cpu ms", "≤ 300 ms"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("-" * (len(c) + 2) for c in cols) + "|")
    over = []
    for name in names:
        wall, cpu = best[name]
        ok = wall * 1e3 <= GOAL_MS
        if not ok:
            over.append(name)
        values = [name, f"{wall * 1e3:.1f}", f"{cpu * 1e3:.1f}", "yes" if ok else "NO"]
        print("| " + " | ".join(f"{v:>{len(c)}}" for v, c in zip(values, cols)) + " |")
    slowest = max(names, key=lambda n: best[n][0])
    print()
    print(f"load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"slowest: {slowest} {best[slowest][0] * 1e3:.0f} ms; total {sum(b[0] for b in best.values()) * 1e3:.0f} ms")
    print(f"goal each ≤ {GOAL_MS:.0f} ms: " + ("met" if not over else f"NOT met by {', '.join(over)}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
