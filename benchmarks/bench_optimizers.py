"""One optimizer step on 1e6 and 1e7 float64 parameters: core vs torch.optim (foreach) vs the floor.

Run:  python benchmarks/bench_optimizers.py  [--quick]

The memory-bandwidth floor is the least traffic a step needs, at the bandwidth of an in-place
``x += y`` (3 x 8 bytes per element: read x, read y, write x) timed on arrays of the same size in
the same run:

    Adam      reads w, dw, v, s; writes w, v, s      7 x 8 bytes per parameter
    RMSProp   reads w, dw, cache; writes w, cache    5 x 8
    Momentum  reads w, dw, v; writes w, v            5 x 8

The three contenders are timed in turn inside each repetition (so background load hits all of them
alike) and each figure is the minimum over the repetitions. glibc's malloc thresholds are pinned
(the script re-executes itself with them set), because heap trimming swings NumPy timings 2-3x here.
"""

from __future__ import annotations

import os
import sys

MALLOC_ENV = {
    # glibc caps the mmap threshold at 32 MiB on 64-bit; larger values are ignored.
    "MALLOC_MMAP_THRESHOLD_": "33554432",
    # never give freed heap memory back to the OS between steps
    "MALLOC_TRIM_THRESHOLD_": "68719476736",
}

if any(os.environ.get(k) != v for k, v in MALLOC_ENV.items()):
    env = dict(os.environ, **MALLOC_ENV)
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tutor.core import Adam, Momentum, RMSProp  # noqa: E402

BYTES_PER_PARAM = {"adam": 7 * 8, "rmsprop": 5 * 8, "momentum": 5 * 8}


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def core_step(name: str, n: int, rng: np.random.Generator, threads: int | None = None) -> Callable[[], None]:
    opt = {"adam": lambda: Adam(lr=1e-3), "rmsprop": lambda: RMSProp(1e-3), "momentum": lambda: Momentum(1e-3)}[name]()
    if threads is not None:
        opt.threads = threads
    params = {"W": rng.normal(size=n)}
    grads = {"dW": rng.normal(size=n)}
    return lambda: opt.step(params, grads)


def torch_step(torch, name: str, n: int) -> Callable[[], None]:
    p = torch.randn(n, dtype=torch.float64, requires_grad=True)
    p.grad = torch.randn(n, dtype=torch.float64)
    o = torch.optim
    opt = {
        "adam": lambda: o.Adam([p], lr=1e-3, foreach=True),
        "rmsprop": lambda: o.RMSprop([p], lr=1e-3, alpha=0.9, eps=1e-8, foreach=True),
        "momentum": lambda: o.SGD([p], lr=1e-4, momentum=0.9, foreach=True),
    }[name]()
    return opt.step


def one_thread(torch, step: Callable[[], None]) -> Callable[[], None]:
    """``step`` run with torch limited to one thread, like NumPy."""
    threads = torch.get_num_threads()

    def run() -> None:
        torch.set_num_threads(1)
        try:
            step()
        finally:
            torch.set_num_threads(threads)

    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a rough figure)")
    ap.add_argument("--sizes", default="1e6,1e7", help="comma-separated parameter counts")
    args = ap.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]

    try:
        import torch
    except ImportError:
        torch = None

    print(f"load average before the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"malloc: {', '.join(f'{k}={os.environ[k]}' for k in MALLOC_ENV)} (set by this script)")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          + (f"torch {torch.__version__} ({torch.get_num_threads()} threads)" if torch else "torch not installed")
          + f", {os.cpu_count()} CPUs")
    print("core = the optimizer classes as shipped (a parameter of >= 2**18 elements is split over "
          "Optimizer.threads threads); '1t' columns = core and torch limited to one thread")
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        reps = (5 if args.quick else 25) if n >= 5_000_000 else (10 if args.quick else 60)
        x, y = np.ones(n), np.ones(n)
        contenders = {}
        for name in BYTES_PER_PARAM:
            contenders[(name, "core")] = core_step(name, n, rng)
            contenders[(name, "core1")] = core_step(name, n, rng, threads=1)
            if torch is not None:
                contenders[(name, "torch")] = torch_step(torch, name, n)
                contenders[(name, "torch1")] = one_thread(torch, torch_step(torch, name, n))
        best = {key: float("inf") for key in contenders}
        best_add = float("inf")
        for fn in contenders.values():  # warm-up: allocate state, fault pages in
            fn()
        x += y
        for _ in range(reps):
            best_add = min(best_add, timed(lambda: np.add(x, y, out=x)))
            for key, fn in contenders.items():
                best[key] = min(best[key], timed(fn))
        bandwidth = 3 * 8 * n / best_add
        for name, nbytes in BYTES_PER_PARAM.items():
            floor = nbytes * n / bandwidth
            rows.append((name, n, best[(name, "core")], best[(name, "core1")], best.get((name, "torch")),
                         best.get((name, "torch1")), floor, bandwidth))
        del contenders, x, y

    print()
    cols = ["step    ", "params", "core ms", "torch ms", "floor ms", "core/torch", "core/floor", "torch/floor",
            "core 1t ms", "torch 1t ms", "1t: core/torch", "x+=y GB/s"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("-" * (len(c) + 2) for c in cols) + "|")

    def cell(x: float | None, scale: float = 1.0) -> str:
        return "-" if x is None else f"{x * scale:.2f}"

    for name, n, core, core1, th, th1, floor, bw in rows:
        values = [
            name, f"{n:.0e}", cell(core, 1e3), cell(th, 1e3), cell(floor, 1e3),
            cell(th and core / th), cell(core / floor), cell(th and th / floor),
            cell(core1, 1e3), cell(th1, 1e3), cell(th1 and core1 / th1), f"{bw / 1e9:.1f}",
        ]
        print("| " + " | ".join(f"{v:>{len(c)}}" for v, c in zip(values, cols)) + " |")
    print()
    print(f"load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(other processes on the {os.cpu_count()} CPUs slow the 2-thread torch column most)")
    adam = next((r for r in rows if r[0] == "adam" and r[1] == 10_000_000), None)
    if adam and adam[4]:
        _, _, core, core1, th, th1, floor, _ = adam
        print(f"goal core Adam at 1e7 <= 1.0x torch foreach: {core / th:.2f}x ({'met' if core <= th else 'NOT met'}); "
              f"stretch <= 3x floor: {core / floor:.2f}x ({'met' if core <= 3 * floor else 'not met'}); "
              f"one thread each: {core1 / th1:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
