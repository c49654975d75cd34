"""Latency of a check (issue 4, "Speed").

1. In-app: ``grade()`` of the ``adam`` worked solution with a warm ``Sandbox`` (the app keeps one);
   median over ``--runs`` checks (goal ≤ 15 ms).
2. Cold: ``tutor check adam --file solution.py`` as a fresh process, against
   ``python -c "import numpy"`` measured in the same run, interleaved (goal ≤ 2×).

Both with the sandbox on (issue 10): every mechanism the kernel offers, set up once in the warm
worker; the mechanisms in force are printed and recorded. ``--disable landlock,seccomp`` (names of
``tutor.grading.confine.MECHANISMS``, or ``namespaces``) measures without some, for comparison.

Usage: ``python benchmarks/bench_check.py [--runs 40] [--cold-runs 12] [--disable NAMES] [--record]``;
``--record`` appends the figures to docs/performance.md under "Checks".
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _adam():
    from tutor.commands.check import _load_exercise
    from tutor.paths import shipped_lessons_dir

    folder = shipped_lessons_dir()
    return _load_exercise(folder, "adam", full=True)  # the fast read leaves the solution out


def in_app(runs: int, pause: float = 0.1, disable: tuple[str, ...] | None = None) -> dict:
    """Checks ``pause`` seconds apart, as in the app (a learner presses a key, reads, edits):
    between checks the worker prepares the next child, as it does in use."""
    from tutor.grading.grade import grade
    from tutor.grading.sandbox import Sandbox

    from tutor.grading.grade import build_cases
    from tutor.grading.sandbox import RunRequest

    ex = _adam()
    times, run_times = [], []
    # the sandbox's share: the same kind of request, run alone, interleaved with the checks
    request = RunRequest(source=ex.solution, filename="adam.py", names=ex.names, cases=tuple(build_cases(ex, 0)))
    t = time.perf_counter()
    with Sandbox(disable=disable) as sandbox:
        sandbox.info()
        worker_start = time.perf_counter() - t
        mechanisms: list[str] = []
        for i in range(runs + 3):
            time.sleep(pause)
            t = time.perf_counter()
            v = grade(ex, ex.solution, filename="adam.py", seed=i, sandbox=sandbox)
            dt = time.perf_counter() - t
            assert v.passed, v.summary
            time.sleep(pause)
            t = time.perf_counter()
            mechanisms = sandbox.run(request).sandbox.get("mechanisms", [])
            dt_run = time.perf_counter() - t
            if i >= 3:  # the first checks import the exercise's modules
                times.append(dt)
                run_times.append(dt_run)
    return {
        "median_ms": 1000 * statistics.median(times),
        "p90_ms": 1000 * sorted(times)[int(0.9 * (len(times) - 1))],
        "min_ms": 1000 * min(times),
        "run_median_ms": 1000 * statistics.median(run_times),
        "cases": len(request.cases),
        "worker_start_ms": 1000 * worker_start,
        "mechanisms": mechanisms,
        "runs": len(times),
    }


_CPU: dict[str, list[float]] = {}


def _time(cmd: list[str], env: dict[str, str], label: str = "") -> float:
    """Wall time of one run; its CPU time (user + system, with its children) goes to ``_CPU[label]``."""
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0,):
        raise SystemExit(f"{cmd} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    if label:
        _CPU.setdefault(label, []).append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    return dt


def cold(runs: int, disable: tuple[str, ...] | None = None) -> dict[str, float]:
    ex = _adam()
    with tempfile.TemporaryDirectory() as home:
        solution = Path(home) / "solution.py"
        solution.write_text(ex.solution)
        # as installed: bytecode cached (pip writes .pyc files; this environment may forbid it)
        env = dict(os.environ, TUTOR_HOME=str(Path(home) / "home"), PYTHONPYCACHEPREFIX=str(Path(home) / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if disable is not None:
            env["TUTOR_SANDBOX_DISABLE"] = ",".join(disable)
        check = [sys.executable, "-m", "tutor", "check", "adam", "--file", str(solution)]
        numpy = [sys.executable, "-c", "import numpy"]
        for _ in range(2):  # write the .pyc files and the exercise cache once
            _time(check, env)
            _time(numpy, env)
        t_check, t_numpy = [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            t_numpy.append(_time(numpy, env, "numpy"))
            t_check.append(_time(check, env, "check"))
    c, n = statistics.median(t_check), statistics.median(t_numpy)
    return {
        "check_ms": 1000 * c,
        "numpy_ms": 1000 * n,
        "ratio": c / n,
        "min_ratio": min(t_check) / min(t_numpy),
        "check_cpu_ms": 1000 * statistics.median(_CPU["check"]),
        "numpy_cpu_ms": 1000 * statistics.median(_CPU["numpy"]),
        "runs": runs,
    }


def record(warm: dict[str, float], cold_: dict[str, float]) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else "# Performance\n"
    if "\n## Checks\n" not in text:
        text = text.rstrip("\n") + "\n\n## Checks\n\nMeasured with `python benchmarks/bench_check.py --record`.\n"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    try:
        policy = os.sched_getscheduler(0)
        priority = "real-time priority (`chrt -f`)" if policy in (os.SCHED_FIFO, os.SCHED_RR) else "normal priority"
    except (AttributeError, OSError):
        priority = "normal priority"
    entry = (
        f"\n### {stamp} — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f}, {priority}\n\n"
        f"| measure | result | goal |\n|---|---|---|\n"
        f"| in-app check of `adam`, warm Sandbox, checks 0.1 s apart (median of {warm['runs']}) | "
        f"{warm['median_ms']:.1f} ms (p90 {warm['p90_ms']:.1f}, min {warm['min_ms']:.1f}) | ≤ 15 ms |\n"
        f"| … of which `Sandbox.run` of the same {warm['cases']} cases alone (median) | {warm['run_median_ms']:.1f} ms | |\n"
        f"| worker start, sandbox set up (namespaces, NumPy, Landlock ruleset), first spare ready | "
        f"{warm['worker_start_ms']:.0f} ms | |\n"
        f"| sandbox mechanisms in force | {', '.join(warm['mechanisms']) or 'none'} | |\n"
        f"| cold `tutor check adam --file solution.py` (median of {cold_['runs']}) | "
        f"{cold_['check_ms']:.0f} ms | |\n"
        f"| `python -c \"import numpy\"`, same run, interleaved | {cold_['numpy_ms']:.0f} ms | |\n"
        f"| ratio cold check / import numpy (medians; of the minima) | {cold_['ratio']:.2f}× ({cold_['min_ratio']:.2f}×) | ≤ 2× |\n"
        f"| CPU time (user + system, worker included): check / numpy | "
        f"{cold_['check_cpu_ms']:.0f} ms / {cold_['numpy_cpu_ms']:.0f} ms | |\n"
    )
    # keep the section last-in-file order: append the entry at the end of "## Checks"
    head, sep, tail = text.partition("\n## Checks\n")
    rest_idx = tail.find("\n## ")
    if rest_idx == -1:
        text = head + sep + tail.rstrip("\n") + "\n" + entry
    else:
        text = head + sep + tail[:rest_idx].rstrip("\n") + "\n" + entry + tail[rest_idx:]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"recorded in {path}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=40, help="in-app checks (median)")
    p.add_argument("--cold-runs", type=int, default=12, help="cold checks (median)")
    p.add_argument("--record", action="store_true", help="append to docs/performance.md")
    p.add_argument("--disable", metavar="NAMES", help="sandbox mechanisms to turn off (comma-separated)")
    args = p.parse_args()
    disable = tuple(args.disable.split(",")) if args.disable else None
    warm = in_app(args.runs, disable=disable)
    print(f"sandbox: {', '.join(warm['mechanisms']) or 'no mechanism'}; worker ready in {warm['worker_start_ms']:.0f} ms")
    print(f"in-app check of adam: median {warm['median_ms']:.1f} ms, p90 {warm['p90_ms']:.1f} ms "
          f"(goal <= 15 ms); Sandbox.run alone {warm['run_median_ms']:.1f} ms")
    cold_ = cold(args.cold_runs, disable)
    print(f"cold tutor check adam: {cold_['check_ms']:.0f} ms; import numpy: {cold_['numpy_ms']:.0f} ms; "
          f"ratio {cold_['ratio']:.2f}x, of the minima {cold_['min_ratio']:.2f}x (goal <= 2x); "
          f"CPU {cold_['check_cpu_ms']:.0f} ms vs {cold_['numpy_cpu_ms']:.0f} ms")
    if args.record:
        record(warm, cold_)


if __name__ == "__main__":
    main()
