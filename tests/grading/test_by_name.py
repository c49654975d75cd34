"""A verdict per name: the nine optimizer classes are graded class by class (which pass, which
fail, and which known mistake explains each), even when several classes are wrong at once."""

from __future__ import annotations

import inspect
import textwrap

import pytest

from ._grading_helpers import exercise
from tutor.exercises import optim_nine
from tutor.grading import by_name
from tutor.grading.grade import grade
from tutor.grading.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


def _renamed(cls: type, name: str) -> str:
    return textwrap.dedent(inspect.getsource(cls)).replace(f"class {cls.__name__}", f"class {name}", 1)


def test_case_owner_is_the_one_name_a_case_uses():
    names = ("SGD", "Adam")
    assert by_name.case_owner({"ops": [{"op": "new", "cls": "Adam"}, {"op": "method"}]}, names) == "Adam"
    assert by_name.case_owner({"ops": [{"op": "new", "cls": "Adam"}, {"op": "new", "cls": "SGD"}]}, names) is None
    assert by_name.owners(("f",), [{"ops": [{"op": "call", "fn": "f"}]}]) is None  # one name: no per-name line


def test_summary_line_says_which_pass_and_which_fail():
    cases = [{"ops": [{"op": "new", "cls": c}]} for c in ("SGD", "SGD", "Adam")]
    line = by_name.summary_line(("SGD", "Adam"), cases, [True, True, False])
    assert line == "By class: passed SGD; failed Adam (1 of 1 case)."
    calls = [{"ops": [{"op": "call", "fn": f}]} for f in ("f", "g")]
    assert by_name.summary_line(("f", "g"), calls, [False, True]) == "By function: passed g; failed f (1 of 1 case)."


def test_three_wrong_classes_each_get_their_verdict(sandbox):
    ex = exercise("optimizer_nine")
    source = (
        ex.solution
        + "\n" + _renamed(optim_nine.NesterovPlainMomentum, "Nesterov")
        + "\n" + _renamed(optim_nine.AdaMaxAverage, "AdaMax")
        + "\n\nclass SGD(_Rule):\n    def rule(self, key, w, dw, st):\n        return w + self.lr * dw\n"
    )
    v = grade(ex, source, filename="optimizer_nine.py", seed=5, sandbox=sandbox)
    assert not v.passed
    assert "By class: passed Momentum, AdaGrad, RMSProp, Adam, Nadam, AdamW; failed SGD" in v.summary
    assert "Nesterov (" in v.summary and "AdaMax (" in v.summary
    # two known mistakes are named though a third class (SGD, no known mistake) fails too
    assert [d.name for d in v.diagnosis] == ["nesterov-steps-with-velocity", "adamax-average-not-max"]
    failing = {c.name.split(":")[0] for c in v.cases if not c.passed}
    assert failing == {"SGD", "Nesterov", "AdaMax"}
