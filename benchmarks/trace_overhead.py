"""What recording the learner's values (``tutor/grading/trace.py``) costs a check (issue 14).

Two figures, for the ``adam`` exercise and its worked solution:

1. in-process: every case of a check run through the interpreter, without and with a tracer
   (the child's own work, without the sandbox's fork and pipes);
2. end to end: ``grade()`` on a warm sandbox (as the app does), ``RunRequest.trace`` off and on
   (``exercise.quantities`` emptied for "off"), interleaved, the median of many runs.

Run: ``PYTHONPATH=. python benchmarks/trace_overhead.py [exercise id] [repeats]``. The in-app
budget for the whole ``adam`` check is 15 ms; tracing is part of it.
"""

from __future__ import annotations

import statistics
import sys
import time

from tutor.course.loader import read_course
from tutor.grading import program
from tutor.grading.grade import build_cases, grade
from tutor.grading.sandbox import Sandbox
from tutor.grading.trace import Tracer
from tutor.paths import shipped_lessons_dir
from tutor.record import replace


def _exercise(exercise_id: str):
    result = read_course(shipped_lessons_dir())
    return next(loc.obj for loc in result.exercises if loc.obj.id == exercise_id)


def in_process(ex, repeats: int) -> tuple[float, float, int]:
    """Best ms for all the cases of one check, without and with a tracer (the machine's load
    only adds to a run)."""
    filename = f"/learner/{ex.id}.py"
    ns: dict = {}
    exec(compile(ex.solution, filename, "exec"), ns)
    cases = build_cases(ex, 1)
    plain, traced = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for case in cases:
            program.run_case(ns, case, filename=filename)
        t1 = time.perf_counter()
        tracer = Tracer(filename)
        for case in cases:
            program.run_case(ns, case, filename=filename, tracer=tracer)
        t2 = time.perf_counter()
        plain.append(t1 - t0)
        traced.append(t2 - t1)
    return min(plain) * 1e3, min(traced) * 1e3, len(cases)


#: a failing Adam (v̂ with t + 1): the quantities diagnosis runs too
FAILING_ADAM = """\
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    v_hat = v / (1 - beta1 ** (t + 1))
    s_hat = s / (1 - beta2 ** t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s
"""


def end_to_end(ex, repeats: int, source: str | None = None) -> tuple[float, float, float, float]:
    """Median and best ms of ``grade()`` on a warm sandbox, without and with tracing."""
    off = replace(ex, quantities=())
    expect_pass = source is None
    source = source or ex.solution
    plain, traced = [], []
    with Sandbox() as box:
        for _ in range(3):  # warm up: imports, the spare child
            grade(ex, source, filename=f"{ex.id}.py", seed=1, sandbox=box)
        for i in range(repeats):
            for which, target in ((off, plain), (ex, traced)) if i % 2 else ((ex, traced), (off, plain)):
                t0 = time.perf_counter()
                v = grade(which, source, filename=f"{ex.id}.py", seed=1, sandbox=box)
                target.append(time.perf_counter() - t0)
                assert v.passed == expect_pass
    return (statistics.median(plain) * 1e3, statistics.median(traced) * 1e3,
            min(plain) * 1e3, min(traced) * 1e3)


def main() -> None:
    exercise_id = sys.argv[1] if len(sys.argv) > 1 else "adam"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    ex = _exercise(exercise_id)
    plain, traced, n = in_process(ex, repeats * 5)
    print(f"{exercise_id}: {n} cases in-process: {plain:.2f} ms plain, {traced:.2f} ms traced "
          f"(+{traced - plain:.2f} ms, +{(traced - plain) / n * 1e3:.0f} µs per case)")
    plain, traced, plain_min, traced_min = end_to_end(ex, repeats)
    print(f"{exercise_id}: grade() on a warm sandbox, median: {plain:.2f} ms without tracing, {traced:.2f} ms with "
          f"(+{traced - plain:.2f} ms); best: {plain_min:.2f} / {traced_min:.2f} ms (+{traced_min - plain_min:.2f} ms)")
    if exercise_id == "adam":
        plain, traced, plain_min, traced_min = end_to_end(ex, repeats, FAILING_ADAM)
        print(f"adam, failing (v̂ with t + 1): grade() median {plain:.2f} ms without quantities, {traced:.2f} ms with "
              f"(+{traced - plain:.2f} ms); best: {plain_min:.2f} / {traced_min:.2f} ms (+{traced_min - plain_min:.2f} ms)")


if __name__ == "__main__":
    main()
