"""Latency of the sandbox: how much of a check's time is spent running the learner's code safely.

Figures (issue 4, "Speed"), all medians over ``--runs`` runs, measured in this one process:

- ``import numpy``: ``python -c "import numpy"`` (the yardstick of a cold ``tutor check``, whose goal
  is ≤ 2 × this);
- cold ``run_once``: start a worker, run a small Adam program (10 cases of small arrays), stop;
- warm ``Sandbox.run``: the same request on a warm worker, one run every ``--pause`` seconds (a
  learner pressing the check key; the worker forks and warms its next child in the pause), and
  back to back (no pause: each run also waits for that spare child);
- the worker's own share of the warm run (fork-to-reap, as ``RunResult.seconds``).

The goal for the whole in-app check of ``adam`` is ≤ 15 ms median, so the sandbox's part must be a
small fraction of that.

    python benchmarks/bench_sandbox.py [--runs 30] [--pause 0.1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

from tutor.grading.sandbox import RunRequest, Sandbox, run_once

ADAM = """\
import numpy as np

def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    v_hat = v / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s
"""


def adam_request(n_cases: int = 10) -> RunRequest:
    rng = np.random.default_rng(0)
    shapes = [(5,), (3, 4), (2, 3, 2, 2), (7, 1)]
    cases = []
    for i in range(n_cases):
        shape = shapes[i % len(shapes)]
        kwargs = {
            "w": rng.normal(size=shape), "dw": rng.normal(size=shape), "v": rng.normal(size=shape) * 0.1,
            "s": rng.random(shape) * 0.1, "t": 1 + i, "lr": 0.01,
        }
        cases.append({"name": f"case {i}", "ops": [{"op": "call", "fn": "adam_update", "kwargs": kwargs, "out": "result"}]})
    return RunRequest(ADAM, "/workspace/adam.py", ("adam_update",), tuple(cases), time_limit=5.0)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_import_numpy(runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)
        samples.append(time.perf_counter() - start)
    return samples


def time_cold(request: RunRequest, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run_once(request)
        samples.append(time.perf_counter() - start)
        assert result.status == "ok", result
    return samples


def time_warm(request: RunRequest, runs: int, pause: float) -> tuple[list[float], list[float]]:
    samples, inside = [], []
    with Sandbox() as box:
        box.run(request)
        for _ in range(runs):
            time.sleep(pause)
            start = time.perf_counter()
            result = box.run(request)
            samples.append(time.perf_counter() - start)
            inside.append(result.seconds)
            assert result.status == "ok", result
    return samples, inside


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.1)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    request = adam_request()
    cold_runs = max(3, args.runs // 4)
    numpy_s = time_import_numpy(cold_runs)
    cold_s = time_cold(request, cold_runs)
    warm_s, inside_s = time_warm(request, args.runs, args.pause)
    b2b_s, _ = time_warm(request, args.runs, 0.0)
    figures = {
        "import_numpy_ms": median_ms(numpy_s),
        "cold_run_once_ms": median_ms(cold_s),
        "cold_ratio_to_import_numpy": statistics.median(cold_s) / statistics.median(numpy_s),
        "warm_run_ms": median_ms(warm_s),
        "warm_run_p90_ms": sorted(warm_s)[int(0.9 * (len(warm_s) - 1))] * 1000,
        "warm_worker_side_ms": median_ms(inside_s),
        "warm_back_to_back_ms": median_ms(b2b_s),
        "load_average_1min": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "pause_s": args.pause,
    }
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:.2f}" if isinstance(value, float) else f"{key:<{width}}  {value}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
