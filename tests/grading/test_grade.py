"""grade(): cases, replay, mutation, errors, diagnosis, the verdict's data and its text report."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ._grading_helpers import exercise, mistake_source
from tutor.grading.grade import GradingError, build_cases, grade
from tutor.grading.report import render
from tutor.grading.sandbox import Sandbox
from tutor.record import replace


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def adam():
    return exercise("adam")


def _data(v):
    d = v.to_dict()
    d.pop("seconds")
    return d


def test_seed_replays_exactly(adam, sandbox):
    src = mistake_source(adam, adam.mistakes[0])
    a = grade(adam, src, filename="adam.py", seed=4242, sandbox=sandbox)
    b = grade(adam, src, filename="adam.py", seed=4242, sandbox=sandbox)
    assert a.seed == 4242 and _data(a) == _data(b)
    c = grade(adam, src, filename="adam.py", seed=4243, sandbox=sandbox)
    assert _data(c) != _data(a)


def test_fresh_seed_each_check(adam, sandbox):
    seeds = {grade(adam, adam.solution, filename="adam.py", sandbox=sandbox).seed for _ in range(3)}
    assert len(seeds) == 3


def test_cases_cover_the_edge_classes(adam):
    names = [c["name"] for c in build_cases(adam, 0)]
    for needle in ("first step from zero state", "tiny gradients", "non-default hyper-parameters",
                   "exact zeros", "4-D", "yaml: tiny gradient"):
        assert any(needle in n for n in names), needle
    assert sum(n.startswith("random") for n in names) >= 8


def test_the_child_never_sees_expected_outputs(adam, sandbox):
    seen = []

    class Spy:
        def run(self, request):
            seen.append(request)
            return sandbox.run(request)

    grade(adam, adam.solution, filename="adam.py", seed=1, sandbox=Spy())
    (request,) = seen
    for case in request.cases:
        assert set(case) <= {"name", "ops", "updates"}
        for op in case["ops"]:
            assert set(op) <= {"op", "fn", "cls", "obj", "method", "kwargs", "out", "slot", "value"}


def test_in_place_mutation_fails_unless_allowed(adam, sandbox):
    # w changed in place (the state arrays are also snapshotted by a case, so changing them in
    # place is a value mismatch, not only a mutation)
    src = (
        "import numpy as np\n\n"
        "def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"
        "    v_new = beta1 * v + (1 - beta1) * dw\n"
        "    s_new = beta2 * s + (1 - beta2) * dw**2\n"
        "    w -= lr * (v_new / (1 - beta1**t)) / (np.sqrt(s_new / (1 - beta2**t)) + eps)\n"
        "    return w.copy(), v_new, s_new\n"
    )
    v = grade(adam, src, filename="adam.py", seed=3, sandbox=sandbox)
    assert not v.passed
    bad = v.first_failure
    assert "changed its input w in place" in bad.message and bad.mutated
    relaxed = replace(adam, allow_mutation=True)
    assert grade(relaxed, src, filename="adam.py", seed=3, sandbox=sandbox).passed


def test_first_failure_shows_inputs_and_learner_traceback(adam, sandbox):
    src = "import numpy as np\n\ndef adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n" \
          "    if t > 3:\n        raise ValueError('boom')\n" \
          "    return w - lr * dw, v, s\n"
    v = grade(adam, src, filename="/home/me/adam.py", seed=5, sandbox=sandbox)
    failing = [c for c in v.cases if not c.passed]
    assert failing[0].inputs.startswith("result = adam_update(w=")
    assert all(not c.inputs for c in failing[1:])
    raised = [c for c in failing if c.message.startswith("raised ValueError: boom")]
    assert raised and "/home/me/adam.py" in raised[0].traceback and "line 5" in raised[0].traceback
    assert not v.diagnosis  # matches no known mistake


def test_syntax_error_is_a_failing_verdict(adam, sandbox):
    v = grade(adam, "def adam_update(w, dw v):\n    pass\n", filename="adam.py", seed=1, sandbox=sandbox)
    assert not v.passed and v.status == "syntax_error"
    assert "line 1" in v.summary
    assert all(c.message.startswith("not run") for c in v.cases)
    assert "SyntaxError" in render(v)


def test_wrong_arity_and_none(adam, sandbox):
    v = grade(adam, "def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                    "    return w, v\n", filename="adam.py", seed=1, sandbox=sandbox)
    assert not v.passed and "expected a tuple of 3 items, got 2" in v.first_failure.message
    v = grade(adam, "def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                    "    return None\n", filename="adam.py", seed=1, sandbox=sandbox)
    assert not v.passed and "None" in v.first_failure.message


def test_nan_output_reported(adam, sandbox):
    src = adam.solution.replace("(np.sqrt(s_hat) + eps)", "np.sqrt(s_hat) * 0")
    v = grade(adam, src, filename="adam.py", seed=1, sandbox=sandbox)
    assert not v.passed
    assert any("NaN" in c.message or "inf" in c.message for c in v.cases)


def test_diagnosis_names_the_mistake_and_explains_it(adam, sandbox):
    mistake = next(m for m in adam.mistakes if m.name == "corrected-state")
    v = grade(adam, mistake_source(adam, mistake), filename="adam.py", seed=9, sandbox=sandbox)
    assert [d.name for d in v.diagnosis] == ["corrected-state"]
    assert "bias-corrected" in v.diagnosis[0].message
    text = render(v, title=adam.title)
    assert text.index("Likely mistake:") < text.index("Cases (")
    assert "corrected-state" not in text  # the id is for --json; the learner reads the message
    assert f"tutor check adam --seed {v.seed}" in text


def test_trajectory_reports_step_and_parameter(sandbox):
    ex = exercise("optimizer_classes")
    mistake = next(m for m in ex.mistakes if m.name == "t-per-parameter")
    v = grade(ex, mistake_source(ex, mistake), filename="opt.py", seed=2, sandbox=sandbox)
    first = v.first_failure
    assert first.name.startswith("Adam")
    assert "after step 1" in first.where and '["' in first.where  # step and parameter
    assert "t-per-parameter" in [d.name for d in v.diagnosis]


def test_verdict_json(adam, sandbox):
    v = grade(adam, adam.starter, filename="adam.py", seed=1, sandbox=sandbox)
    data = json.loads(v.to_json())
    assert data["exercise"] == "adam" and data["passed"] is False and data["seed"] == 1
    assert {"name", "passed", "message"} <= set(data["cases"][0])
    assert data["cases_total"] == len(data["cases"]) and isinstance(data["diagnosis"], list)


def test_broken_exercise_raises_grading_error(adam, sandbox):
    broken = replace(adam, cases="tutor.exercises.optim.no_such_generator")
    with pytest.raises(GradingError, match="no_such_generator"):
        grade(broken, adam.solution, filename="adam.py", seed=1, sandbox=sandbox)
    wrong_ref = replace(adam, reference="tutor.core.schedules")
    with pytest.raises(GradingError, match="adam_update"):
        grade(wrong_ref, adam.solution, filename="adam.py", seed=1, sandbox=sandbox)


def test_grade_without_a_sandbox_starts_its_own(adam):
    v = grade(adam, adam.solution, filename="adam.py", seed=1)
    assert v.passed and np.isfinite(v.seconds)


def test_non_data_return_is_refused(adam, sandbox):
    v = grade(adam, "def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                    "    return (lambda: w), v, s\n", filename="adam.py", seed=1, sandbox=sandbox)
    assert not v.passed and "not data" in v.first_failure.message


def test_timeout_is_a_failing_verdict(adam, sandbox):
    quick = replace(adam, time_limit=1.0)
    v = grade(quick, "def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                     "    while True:\n        pass\n", filename="adam.py", seed=1, sandbox=sandbox)
    assert not v.passed and v.status == "timeout" and "1" in v.summary
    assert not v.diagnosis
    assert "timed out" in render(v) or "time" in render(v)


def test_two_wrong_classes_are_two_diagnoses(sandbox):
    import inspect
    import textwrap

    from tutor.exercises import optim

    ex = exercise("optimizer_classes")
    src = ex.solution
    for cls, name in ((optim.SGDRebindsLocal, "SGD"), (optim.AdamTPerParameter, "Adam")):
        src += "\n\n" + textwrap.dedent(inspect.getsource(cls)).replace(f"class {cls.__name__}", f"class {name}", 1)
    v = grade(ex, src, filename="opt.py", seed=3, sandbox=sandbox)
    assert sorted(d.name for d in v.diagnosis) == ["sgd-rebinds-local", "t-per-parameter"]
