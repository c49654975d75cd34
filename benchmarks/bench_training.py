"""One training epoch (Adam, batch 64, 10 000 samples): tutor's core vs the same network in torch.

Run:  python benchmarks/bench_training.py  [--quick] [--one-thread]

Two networks, float64 on the CPU, the same initial weights on both sides:

    small   2 → 64 → 64 → 1   ReLU, mse            (157 steps of 64)
    large   784 → 128 → 10    ReLU, softmax + cross-entropy

core  = ``tutor.core.training.train(model, X, Y, Adam(lr=1e-3), 1, 64, rng, eval_every=0)``: one
        shuffle (``make_minibatches``), then forward, backward and one ``Adam.step`` per batch.
torch = the textbook loop: ``randperm``, index the batch, ``zero_grad``, forward, loss,
        ``backward``, ``Adam.step`` (foreach), with torch's default threads and with one thread.

Epochs are timed in turn inside each repetition (background load hits all of them alike); each
figure is the minimum over the repetitions. glibc's malloc thresholds are pinned (the script
re-executes itself with them set), because heap trimming swings NumPy timings 2-3x here.
``--one-thread`` also pins NumPy's BLAS to one thread (``OPENBLAS_NUM_THREADS=1``, set the same
way) and torch to one thread: on a busy machine threaded BLAS on matrices this small loses far more
to waiting for a core than it gains.
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

# --one-thread: NumPy's BLAS (OpenBLAS) reads its thread count once, at import, from the environment.
WANT = dict(MALLOC_ENV, **({"OPENBLAS_NUM_THREADS": "1"} if "--one-thread" in sys.argv else {}))

if any(os.environ.get(k) != v for k, v in WANT.items()):
    env = dict(os.environ, **WANT)
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import argparse  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tutor.core.model import MLP  # noqa: E402
from tutor.core.optimizers import Adam  # noqa: E402
from tutor.core.training import train  # noqa: E402

M = 10_000
BATCH = 64
GOALS = {"small": 0.35, "large": 1.0}


def problem(kind: str) -> tuple[MLP, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    if kind == "small":
        X = rng.standard_normal((M, 2))
        Y = np.sin(X[:, :1]) + X[:, 1:] ** 2
        model = MLP([2, 64, 64, 1], rng=rng)
    else:
        X = rng.standard_normal((M, 784))
        Y = np.eye(10)[rng.integers(0, 10, M)]
        model = MLP([784, 128, 10], rng=rng, output="softmax", loss="cross_entropy")
    return model, X, Y


def core_epoch(kind: str) -> Callable[[], None]:
    model, X, Y = problem(kind)
    opt = Adam(lr=1e-3)
    rng = np.random.default_rng(1)
    return lambda: train(model, X, Y, opt, 1, BATCH, rng, eval_every=0)


def torch_epoch(torch, kind: str, threads: int | None) -> tuple[Callable[[], None], float]:
    model, X, Y = problem(kind)
    layers = []
    L = model.n_layers
    for l in range(1, L + 1):
        lin = torch.nn.Linear(model.sizes[l - 1], model.sizes[l], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(model.params[f"W{l}"].T.copy()))
            lin.bias.copy_(torch.from_numpy(model.params[f"b{l}"].copy()))
        layers.append(lin)
        if l < L:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, foreach=True)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    labels = Yt.argmax(dim=1)
    softmax = kind == "large"

    def loss_of(xb, yb, lb):
        out = net(xb)
        if softmax:
            return torch.nn.functional.cross_entropy(out, lb)
        return ((out - yb) ** 2).sum() / (2 * xb.shape[0])

    with torch.no_grad():  # the same loss as the core on the same weights: the same network
        first = float(loss_of(Xt[:BATCH], Yt[:BATCH], labels[:BATCH]))
    ours = model.loss(X[:BATCH], Y[:BATCH])
    gen = torch.Generator().manual_seed(1)

    def epoch() -> None:
        old = torch.get_num_threads()
        if threads is not None:
            torch.set_num_threads(threads)
        try:
            perm = torch.randperm(M, generator=gen)
            for k in range(0, M, BATCH):
                idx = perm[k : k + BATCH]
                opt.zero_grad(set_to_none=True)
                loss = loss_of(Xt[idx], Yt[idx], labels[idx])
                loss.backward()
                opt.step()
        finally:
            torch.set_num_threads(old)

    return epoch, abs(first - ours) / abs(ours)


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a rough figure)")
    ap.add_argument("--one-thread", action="store_true",
                    help="NumPy's BLAS and torch on one thread each (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1))")
    args = ap.parse_args()
    reps = 3 if args.quick else 9
    try:
        import torch

        torch.set_default_dtype(torch.float64)
        if args.one_thread:
            torch.set_num_threads(1)
    except ImportError:
        torch = None

    print(f"load average before the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"malloc: {', '.join(f'{k}={os.environ[k]}' for k in MALLOC_ENV)} (set by this script)")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          + (f"torch {torch.__version__} ({torch.get_num_threads()} threads by default)" if torch else "torch not installed")
          + f", {os.cpu_count()} CPUs; OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    rows = []
    for kind in ("small", "large"):
        contenders: dict[str, Callable[[], None]] = {"core": core_epoch(kind)}
        if torch is not None:
            contenders["torch"], diff = torch_epoch(torch, kind, None)
            contenders["torch1"], _ = torch_epoch(torch, kind, 1)
            print(f"{kind}: first-batch loss core vs torch on the same weights, relative difference {diff:.1e}")
        for fn in contenders.values():
            fn()  # warm-up
        best = {k: float("inf") for k in contenders}
        for _ in range(reps):
            for k, fn in contenders.items():
                best[k] = min(best[k], timed(fn))
        rows.append((kind, best))

    print()
    cols = ["network", "core ms", "torch ms", "torch 1t ms", "core/torch", "core/torch 1t", "goal"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("-" * (len(c) + 2) for c in cols) + "|")
    verdicts = []
    for kind, best in rows:
        core, th, th1 = best["core"], best.get("torch"), best.get("torch1")
        ratio = core / th if th else None
        goal = GOALS[kind]
        name = "2→64→64→1" if kind == "small" else "784→128→10"
        values = [
            name, f"{core * 1e3:.1f}", "-" if th is None else f"{th * 1e3:.1f}",
            "-" if th1 is None else f"{th1 * 1e3:.1f}",
            "-" if ratio is None else f"{ratio:.2f}", "-" if th1 is None else f"{core / th1:.2f}",
            f"≤ {goal:g}×",
        ]
        print("| " + " | ".join(f"{v:>{len(c)}}" for v, c in zip(values, cols)) + " |")
        if ratio is not None:
            verdicts.append(f"{name}: {ratio:.2f}× torch ({'met' if ratio <= goal else 'NOT met'}, goal ≤ {goal:g}×)")
    print()
    print(f"load average after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for v in verdicts:
        print("goal " + v)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
