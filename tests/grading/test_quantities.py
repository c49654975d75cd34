"""The quantities diagnosis, near matches and per-function diagnosis (issue 14), end to end
through the sandbox, plus a dev check: every declared quantity of every exercise is found in its
own worked solution (the impls and the tracer agree with the reference)."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from ._grading_helpers import EXERCISE_FILES, exercise, exercise_at
from tutor.course.model import Mistake
from tutor.grading import program
from tutor.grading.grade import build_cases, grade, reference_namespace, resolve
from tutor.grading.quantities import _check_call, _Matcher, reference_quantities
from tutor.grading.trace import Tracer
from tutor.record import replace

ADAMAX_NO_DECAY = """\
import numpy as np


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(u, np.abs(dw))
    return w - lr / (1 - beta1 ** t) * v / (u + eps), v, u
"""

ADAM_T_PLUS_ONE = """\
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * v + (1 - beta1) * dw
    r = beta2 * s + (1 - beta2) * dw ** 2
    corrected_m = m / (1 - beta1 ** (t + 1))
    corrected_r = r / (1 - beta2 ** t)
    return w - lr * corrected_m / (np.sqrt(corrected_r) + eps), m, r
"""


def test_adamax_without_beta2_decay_gets_u_prime_wrong(sandbox):
    v = grade(exercise("adamax"), ADAMAX_NO_DECAY, filename="adamax.py", seed=3, sandbox=sandbox)
    assert not v.passed
    q = v.quantities
    assert q is not None and q.first_wrong == "u′"
    assert "v′ ✓ u′ ✗" in q.message and "β₂" in q.message
    assert q.line == 6  # the line that bound the returned u′
    assert v.to_dict()["quantities"]["first_wrong"] == "u′"


def test_adam_names_the_first_wrong_quantity_whatever_the_variable_names(sandbox):
    v = grade(exercise("adam"), ADAM_T_PLUS_ONE, filename="adam.py", seed=5, sandbox=sandbox)
    q = v.quantities
    assert q is not None and q.first_wrong == "v̂" and q.line == 7
    assert q.message.startswith("v′ ✓ s′ ✓ v̂ ✗ — your v̂ equals v′ / (1 − β₁^(t+1))")


def test_a_helper_a_loop_and_a_comprehension_are_followed(sandbox):
    src = textwrap.dedent('''\
        import numpy as np

        def _moment(beta, old, new):
            return beta * old + (1 - beta) * new

        def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            v2, s2 = [_moment(b, o, n) for b, o, n in ((beta1, v, dw), (beta2, s, dw ** 2))]
            corr = 1.0
            for _ in range(t):
                corr = corr * beta1
            vh = v2 / corr
            sh = s2 / (1 - beta2 ** t)
            return w - lr * vh / (np.sqrt(sh) + eps), v2, s2
    ''')
    v = grade(exercise("adam"), src, filename="adam.py", seed=5, sandbox=sandbox)
    q = v.quantities
    assert not v.passed and q is not None
    assert q.first_wrong == "v̂" and q.line == 11
    assert [item.status for item in q.items] == ["ok", "ok", "wrong"]


@pytest.mark.parametrize(
    "hostile",
    [
        "import sys\nsys.settrace(None)\n",
        "import sys\n_real = sys.settrace\nsys.settrace = lambda f: None\n",
        # forging: fill the tracer's records with lies from inside the learner's code
        "import gc\nfor _o in gc.get_objects():\n    if type(_o).__name__ == 'Tracer':\n"
        "        _o.records.extend([[0, 1, 'fake', 0.5]] * 50)\n        _o.max_values = 0\n",
    ],
)
def test_code_that_disables_or_forges_tracing_keeps_its_verdict(hostile, sandbox):
    ex = exercise("adam")
    right = grade(ex, ex.solution + "\n" + hostile, filename="adam.py", seed=5, sandbox=sandbox)
    assert right.passed and right.quantities is None
    wrong = grade(ex, ADAM_T_PLUS_ONE + "\n" + hostile, filename="adam.py", seed=5, sandbox=sandbox)
    assert not wrong.passed and wrong.cases_passed == grade(
        ex, ADAM_T_PLUS_ONE, filename="adam.py", seed=5, sandbox=sandbox
    ).cases_passed


def test_a_wrong_mask_in_forward_does_not_hide_a_backward_that_ignores_the_mask(sandbox):
    ex = exercise("dropout_layer")
    extra = Mistake(
        name="backward-ignores-mask",
        impl="tests.grading.quantity_fixtures.DropoutBackwardIgnoresMask",
        message="backward returns dA as it came: multiply by the mask of the forward pass.",
    )
    ex = replace(ex, mistakes=(*ex.mistakes, extra))
    src = textwrap.dedent('''\
        import numpy as np

        class Dropout:
            def __init__(self, keep_prob):
                self.keep_prob = keep_prob
                self.mask = None

            def forward(self, A, rng, training=True):
                if not training:
                    return A.copy()
                self.mask = (rng.random(A.shape) > 1 - self.keep_prob) / self.keep_prob
                return A * self.mask

            def backward(self, dA):
                return dA.copy()
    ''')
    v = grade(ex, src, filename="dropout_layer.py", seed=4, sandbox=sandbox)
    assert not v.passed
    scoped = {(d.name, d.scope) for d in v.diagnosis}
    assert ("backward-ignores-mask", "Dropout.backward") in scoped
    assert all(d.scope for d in v.diagnosis)  # nothing claims to explain every case
    # the catalogue names the forward's u > 1 − keep_prob too; the backward is not hidden behind it
    assert "Dropout.backward" in {d["scope"] for d in v.to_dict()["diagnosis"]}
    # and the quantities say where forward goes wrong: the distribution is right, the comparison is not
    assert v.quantities is not None and "u > 1 − keep_prob" in v.quantities.message


def test_a_near_match_says_on_how_many_cases_and_where_not(sandbox):
    ex = exercise("adam")
    src = textwrap.dedent('''\
        import numpy as np

        def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            eps = 1e-8  # hard-coded: the check's own eps is ignored
            v = beta1 * v + (1 - beta1) * dw
            s = beta2 * s + (1 - beta2) * dw ** 2
            v_hat = v / (1 - beta1 ** t)
            s_hat = s / (1 - beta2 ** t)
            return w - lr * v_hat / np.sqrt(s_hat + eps), v, s
    ''')
    v = grade(ex, src, filename="adam.py", seed=5, sandbox=sandbox)
    assert not v.passed and not v.diagnosis
    assert len(v.near) == 1
    near = v.near[0]
    assert near.name == "eps-inside-sqrt" and near.agree < near.total
    assert near.differ and any("hyper" in name for name in near.differ)
    assert near.text.startswith(f"your outputs match 'eps-inside-sqrt' on {near.agree} of {near.total} cases")
    data = v.to_dict()["near_matches"][0]
    assert data["agree"] == near.agree and data["total"] == v.cases_total


def test_text_report_shows_the_quantities_line(sandbox):
    from tutor.grading.report import render

    v = grade(exercise("adamax"), ADAMAX_NO_DECAY, filename="adamax.py", seed=3, sandbox=sandbox)
    text = render(v)
    assert "Inside your code (adamax_update" in text and "u′ ✗" in text


def test_a_passing_check_has_no_quantities_and_the_json_field_is_null(sandbox):
    ex = exercise("adamax")
    v = grade(ex, ex.solution, filename="adamax.py", seed=3, sandbox=sandbox)
    assert v.passed and v.to_dict()["quantities"] is None and v.to_dict()["near_matches"] == []


# --------------------------------------------------------------------------- dev check


def _with_quantities():
    out = []
    for path in EXERCISE_FILES:
        ex = exercise_at(path)
        if ex.quantities:
            out.append(pytest.param(path, id=path.stem))
    return out


@pytest.mark.parametrize("path", _with_quantities())
def test_every_quantity_is_found_in_the_worked_solution(path):
    """Traced in-process: no quantity of any call of any case is wrong for the solution (the
    impls compute what the reference computes, and the tracer records it)."""
    ex = exercise_at(path)
    impls = {q.call: resolve(q.impl) for q in ex.quantities}
    reference = reference_namespace(ex)
    filename = f"/learner/{ex.id}.py"
    ns: dict = {}
    exec(compile(ex.solution, filename, "exec"), ns)
    matcher = _Matcher(ex.rtol, ex.atol)
    checked = 0
    for case in build_cases(ex, 11):
        run = program.run_case(ns, case, filename=filename, tracer=Tracer(filename))
        assert run.error is None
        ops = case["ops"]
        with np.errstate(all="ignore"):
            for op_index, (qs, kwargs) in reference_quantities(reference, case, impls).items():
                assert qs, f"{ex.id}: no quantities for op {op_index} of {case['name']!r}"
                records = [r for r in run.trace if r[0] == op_index]
                out = ops[op_index].get("out")
                returned = run.outputs.get(out) if out is not None else None
                checks, _ = _check_call(qs, kwargs, records, returned, matcher)
                wrong = [c for c in checks if c.status == "wrong"]
                assert not wrong, f"{ex.id}, {case['name']!r}, op {op_index}: {wrong}"
                checked += 1
    assert checked >= 8


ADAM_HARD_CODED = """\
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = 0.9 * v + 0.1 * dw
    s = 0.999 * s + 0.001 * dw ** 2
    v_hat = v / (1 - 0.9 ** t)
    s_hat = s / (1 - 0.999 ** t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s
"""

ADAM_EFFICIENT = """\
import numpy as np


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - lr_t * v / (np.sqrt(s) + eps), v, s
"""

MOMENTUM_LR_INSIDE = """\
def momentum_update(w, dw, v, lr, beta=0.9):
    v = beta * v + lr * dw
    return w - v, v
"""


@pytest.mark.parametrize(
    ("exercise_id", "source", "first_wrong", "said"),
    [
        ("adam", ADAM_HARD_CODED, "v′", "β₁ = 0.9 written in your code"),
        ("adam", ADAM_EFFICIENT, "w′", "'efficient' form"),
        ("momentum", MOMENTUM_LR_INSIDE, "v′", "β·v + lr·g"),
    ],
    ids=["hyper-parameters hard-coded", "Adam's efficient form", "momentum with lr inside"],
)
def test_code_written_by_others_gets_a_sentence(exercise_id, source, first_wrong, said, sandbox):
    v = grade(exercise(exercise_id), source, filename=f"{exercise_id}.py", seed=3, sandbox=sandbox)
    assert not v.passed and v.quantities is not None
    assert v.quantities.first_wrong == first_wrong and said in v.quantities.message


def test_a_norm_not_squared_and_an_initial_zero(sandbox):
    src = textwrap.dedent('''\
        import numpy as np

        def l2_cost(params, lambd, m):
            total = 0.0
            for key, W in params.items():
                if key.startswith("W"):
                    total += np.linalg.norm(W)
            return lambd / (2 * m) * total
    ''')
    v = grade(exercise("l2_cost"), src, filename="l2_cost.py", seed=3, sandbox=sandbox)
    q = v.quantities
    assert q is not None and q.first_wrong == "ΣW²" and "Σ‖W‖" in q.message and q.line == 7


def test_two_wrong_classes_one_catalogued_one_not(sandbox):
    """Momentum forgets (1 − β) (catalogued); Adam puts ε inside the square root (not catalogued
    for the classes): Momentum's mistake is named for Momentum.step, not hidden behind Adam's."""
    ex = exercise("optimizer_classes")
    src = ex.solution.replace("v = self.beta * v + (1 - self.beta) * dw", "v = self.beta * v + dw")
    src = src.replace("(np.sqrt(s_hat) + self.eps)", "np.sqrt(s_hat + self.eps)")
    assert src.count("np.sqrt(s_hat + self.eps)") == 1 and "self.beta * v + dw" in src
    v = grade(ex, src, filename="optimizer_classes.py", seed=2, sandbox=sandbox)
    assert not v.passed
    # the catalogue now has Adam's ε inside the root for the classes too: both are named, as a pair
    assert "momentum-forgot-one-minus-beta" in {d.name for d in v.diagnosis}
    assert v.quantities is not None


def test_a_step_off_by_a_constant_factor_is_said_so(sandbox):
    src = ADAM_T_PLUS_ONE.replace("lr=0.001", "lr=0.01").replace("beta1 ** (t + 1)", "beta1 ** t")
    v = grade(exercise("adam"), src, filename="adam.py", seed=3, sandbox=sandbox)
    q = v.quantities
    assert q is not None and q.first_wrong == "w′"
    assert "its change from w is 10 × the right one" in q.message


def test_an_explanation_that_fits_one_case_by_coincidence_is_not_given():
    """momentum with a default β of 0.99: from a zero state with lr = 0.01, β·v + lr·g equals what
    the code returns, but not in the other failing cases: only what is sure is said."""
    from tutor.grading.sandbox import Sandbox

    src = "def momentum_update(w, dw, v, lr, beta=0.99):\n    v = beta * v + (1 - beta) * dw\n    return w - lr * v, v\n"
    with Sandbox() as box:
        v = grade(exercise("momentum"), src, filename="momentum.py", seed=101, sandbox=box)
    q = v.quantities
    assert q is not None and q.first_wrong == "v′"
    assert "lr·g" not in q.message


def test_check_json_carries_the_quantities(tmp_path, monkeypatch, capsys):
    import json

    from tutor.cli import main

    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("TUTOR_LESSONS", raising=False)
    f = tmp_path / "adamax.py"
    f.write_text(ADAMAX_NO_DECAY)
    assert main(["check", "adamax", "--file", str(f), "--seed", "3", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    q = data["quantities"]
    assert q["first_wrong"] == "u′" and q["line"] == 6 and q["call"] == "adamax_update"
    assert [item["status"] for item in q["items"]] == ["ok", "wrong"]
    assert "near_matches" in data and all("scope" in d for d in data["diagnosis"])
    assert main(["check", "adamax", "--file", str(f), "--seed", "3"]) == 1
    assert "u′ ✗" in capsys.readouterr().out
