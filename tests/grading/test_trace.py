"""trace.py: the values the learner's code binds, recorded in-process (the child does the same).

Loops, helpers, classes, comprehensions, in-place changes, bounds, and hostile code that switches
tracing off or installs its own trace function (it only loses the records, never its result)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from tutor.grading import program
from tutor.grading.trace import MAX_ELEMENTS, Tracer, mutating_lines

FILE = "/learner/under_test.py"


def _run(source: str, fn: str, tracer: Tracer | None = None, **kwargs):
    ns: dict = {}
    exec(compile(source, FILE, "exec"), ns)
    case = {"name": "c", "ops": [{"op": "call", "fn": fn, "out": "result", "kwargs": kwargs}]}
    tracer = tracer or Tracer(FILE)
    run = program.run_case(ns, case, filename=FILE, tracer=tracer)
    return run, [(r[1], r[2], r[3]) for r in run.trace]


def _has(records, value) -> list[int]:
    """The lines of the records equal to ``value``."""
    return [line for line, _, v in records if np.shape(v) == np.shape(value) and np.allclose(v, value)]


X = np.array([[1.0, -2.0], [0.5, 3.0]])


def test_locals_are_recorded_with_their_lines():
    src = "import numpy as np\n\ndef f(w, dw):\n    a = w * 2\n    b = a + dw\n    return b - 1\n"
    run, records = _run(src, "f", w=X, dw=X)
    assert run.error is None
    assert _has(records, X * 2) == [4]
    assert _has(records, X * 3) == [5]
    assert 6 in _has(records, X * 3 - 1)  # the return value
    assert not _has(records, X)  # the arguments are not the code's work


def test_helpers_loops_and_comprehensions():
    src = (
        "def helper(x):\n"
        "    y = x * 10\n"
        "    return y\n"
        "\n"
        "def f(w):\n"
        "    total = 0.0\n"
        "    for i in range(3):\n"
        "        total = total + float(i) * 0.5\n"
        "    parts = [helper(w[i]) for i in range(2)]\n"
        "    return parts[0] + total\n"
    )
    run, records = _run(src, "f", w=X)
    assert run.error is None
    assert _has(records, X[0] * 10) and _has(records, X[1] * 10)  # inside the helper and the list
    assert 1.5 in [v for _, _, v in records if isinstance(v, float)]  # the loop's last total


def test_classes_attributes_and_dicts_in_place():
    src = (
        "import numpy as np\n"
        "class Opt:\n"
        "    def __init__(self):\n"
        "        self.m = {}\n"
        "    def step(self, params, grads):\n"
        "        for k in params:\n"
        "            self.m[k] = 0.9 * self.m.get(k, 0) + grads['d' + k]\n"
        "            params[k] -= 0.1 * self.m[k]\n"
    )
    ns: dict = {}
    exec(compile(src, FILE, "exec"), ns)
    p = {"W": X.copy(), "b": np.ones(2)}
    g = {"dW": X.copy(), "db": np.ones(2)}
    from tutor.grading.program import Ref

    case = {"name": "c", "ops": [
        {"op": "new", "cls": "Opt", "slot": "o", "kwargs": {}},
        {"op": "let", "slot": "p", "value": p},
        {"op": "method", "obj": "o", "method": "step", "kwargs": {"params": Ref("p"), "grads": g}},
    ]}
    run = program.run_case(ns, case, filename=FILE, tracer=Tracer(FILE))
    assert run.error is None
    records = [(r[1], r[2], r[3]) for r in run.trace if r[0] == 2]
    assert _has(records, X) and 7 in _has(records, X)  # self.m["W"] bound at line 7
    assert 8 in _has(records, X - 0.1 * X)  # params["W"] changed in place at line 8
    assert _has(records, 0.9 * np.ones(2))  # params["b"] in place


def test_in_place_changes_of_a_local_are_seen():
    src = "def f(v, dw):\n    v = v.copy()\n    v *= 0.9\n    v += 0.1 * dw\n    return v\n"
    run, records = _run(src, "f", v=X, dw=X)
    assert 3 in _has(records, 0.9 * X)
    assert 4 in _has(records, X)


def test_mutating_lines_finds_augmented_and_item_assignments():
    src = "def f(a, d):\n    b = a + 1\n    a += 1\n    d['k'] = b\n    return b\n"
    ns: dict = {}
    exec(compile(src, FILE, "exec"), ns)
    assert mutating_lines(ns["f"].__code__) == {3, 4}


def test_bounded_records_events_and_sizes():
    src = (
        "import numpy as np\n"
        "def f(w):\n"
        "    big = np.zeros(%d)\n"
        "    acc = 0.0\n"
        "    for i in range(100000):\n"
        "        acc = acc + 1.0\n"
        "    return acc\n" % (MAX_ELEMENTS + 1)
    )
    tracer = Tracer(FILE, max_values=20)
    run, records = _run(src, "f", tracer=tracer, w=X)
    assert run.error is None and run.outputs["result"] == 100000.0  # the call ran to its end
    assert len(records) <= 20
    assert all(np.size(v) <= MAX_ELEMENTS for _, _, v in records)


def test_tracing_is_off_after_the_call():
    src = "def f(w):\n    return w * 2\n"
    _run(src, "f", w=X)
    assert sys.gettrace() is None


@pytest.mark.parametrize(
    "prologue",
    [
        "    sys.settrace(None)\n",
        "    sys.settrace(lambda *a: None)\n",
        "    sys._getframe().f_trace = None\n",
    ],
)
def test_hostile_code_only_loses_the_records(prologue):
    src = "import sys\ndef g(x):\n    return x + 0\ndef f(w):\n" + prologue + "    a = g(w) * 2\n    return a + 1\n"
    run, records = _run(src, "f", w=X)
    assert run.error is None  # whatever it did to tracing, the call ran and its result is kept
    assert np.allclose(run.outputs["result"], X * 2 + 1)
    assert sys.gettrace() is None


def test_a_hostile_object_cannot_break_the_tracer():
    src = (
        "class Evil:\n"
        "    @property\n"
        "    def __dict__(self):\n"
        "        raise RuntimeError('no')\n"
        "    def go(self, w):\n"
        "        a = w * 3\n"
        "        return a\n"
        "def f(w):\n"
        "    return Evil().go(w)\n"
    )
    run, records = _run(src, "f", w=X)
    assert run.error is None and np.allclose(run.outputs["result"], X * 3)


def test_a_long_loop_of_calls_stops_being_traced():
    src = (
        "def g(x):\n"
        "    return x + 1.0\n"
        "def f(w):\n"
        "    acc = 0.0\n"
        "    for i in range(30000):\n"
        "        acc = g(acc)\n"
        "    return acc\n"
    )
    tracer = Tracer(FILE, max_events=100)
    run, records = _run(src, "f", tracer=tracer, w=X)
    assert run.error is None and run.outputs["result"] == 30000.0
    assert not tracer.active and len(records) <= 100


def test_the_elements_of_a_case_are_bounded():
    from tutor.grading.trace import MAX_TOTAL, compact, expand

    src = "import numpy as np\ndef f(w):\n" + "".join(f"    a{i} = np.full(4000, {i}.5)\n" for i in range(40)) + "    return a0\n"
    run, records = _run(src, "f", w=X)
    assert run.error is None
    assert sum(np.size(v) for _, _, v in records) <= MAX_TOTAL
    back = expand(compact(run.trace))
    assert len(back) == len(run.trace) and all(np.allclose(a[3], b[3]) for a, b in zip(back, run.trace))
    assert compact([[0, 1, "x", object()]]) == [] and expand(["not json", np.zeros(1)]) == ()
