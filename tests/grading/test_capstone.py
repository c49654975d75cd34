"""The capstone (``capstone_digits``): its reference network is right, a correct train reaches
95 % on the digits' test set inside the sandbox's limit, and a wrong one is pointed at the first
epoch where it departs."""

from __future__ import annotations

import numpy as np
import pytest

from ._grading_helpers import exercise, mistake_source
from tutor.core.gradcheck import gradcheck
from tutor.exercises import capstone
from tutor.grading.grade import grade
from tutor.grading.program import Rng
from tutor.grading.sandbox import RunRequest, Sandbox
from tutor.grading.wire import roundtrip


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def ex():
    return exercise("capstone_digits")


def test_forward_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    X, y = capstone.digits()
    Xb, yb = X[:12], y[:12]
    params = capstone.init_params(rng, hidden=6)
    params = {k: v + 0.05 * rng.standard_normal(v.shape) for k, v in params.items()}  # non-zero biases

    def loss():  # keep_prob = 1: the mask is all ones whatever the generator draws (params perturbed in place)
        return capstone.forward_backward(params, Xb, yb, 1.0, np.random.default_rng(1))[0]

    _, grads = capstone.forward_backward(params, Xb, yb, 1.0, np.random.default_rng(1))
    assert gradcheck(loss, params, grads, eps=1e-6).relative_error < 1e-6


def test_dropout_gradient_uses_the_same_mask():
    rng = np.random.default_rng(3)
    X, y = capstone.digits()
    params = capstone.init_params(rng, hidden=6)

    def loss():  # the same seed: the same mask at every evaluation
        return capstone.forward_backward(params, X[:9], y[:9], 0.6, np.random.default_rng(7))[0]

    _, grads = capstone.forward_backward(params, X[:9], y[:9], 0.6, np.random.default_rng(7))
    assert gradcheck(loss, params, grads, eps=1e-6).relative_error < 1e-6


def test_the_reference_run_reaches_95_percent_on_the_test_digits():
    result, accuracy = capstone.reference_app_run()
    assert accuracy >= 0.95
    history = result["history"]
    assert history[-1]["train_loss"] < history[0]["train_loss"] / 10
    assert 0 < result["best_epoch"] <= result["stop_epoch"] == len(history) - 1


def test_a_correct_solution_follows_the_reference_in_the_sandbox_and_reaches_95_percent(ex, sandbox):
    kwargs = capstone.app_run_kwargs()
    request = RunRequest(
        source=ex.solution,
        filename="capstone_digits.py",
        names=("train",),
        cases=({"name": "digits", "ops": [{"op": "call", "fn": "train", "kwargs": kwargs, "out": "train"}]},),
        time_limit=capstone.APP_RUN["time_limit"],
    )
    result = sandbox.run(request)
    assert result.status == "ok", result.message  # within the limit the app gives it
    got = result.cases[0].outputs["train"]
    expected, ref_accuracy = capstone.reference_app_run()
    assert len(got["history"]) == len(expected["history"])
    for e, (g, x) in enumerate(zip(got["history"], expected["history"])):
        for key in ("train_loss", "penalty", "val_loss", "val_acc"):
            assert abs(g[key] - x[key]) <= 1e-6 * abs(x[key]) + 1e-12, (e, key)
    assert capstone.test_accuracy(got["params"]) == ref_accuracy >= 0.95


def test_the_app_run_uses_the_documented_settings():
    kwargs = capstone.app_run_kwargs()
    assert isinstance(kwargs["rng"], Rng)
    assert kwargs["X_train"].shape == (1257, 64) and kwargs["X_val"].shape == (270, 64)
    roundtrip({k: v for k, v in kwargs.items() if k != "rng"})  # data only: it crosses the wire


@pytest.mark.parametrize(("mistake", "epoch"), [("l2-with-batch-size", 1), ("adam-every-epoch", 2),
                                                 ("dropout-when-measuring", 1)])
def test_a_wrong_train_is_pointed_at_the_first_epoch_it_departs(ex, sandbox, mistake, epoch):
    m = next(x for x in ex.mistakes if x.name == mistake)
    v = grade(ex, mistake_source(ex, m), filename="capstone_digits.py", seed=11, sandbox=sandbox)
    assert not v.passed and mistake in [d.name for d in v.diagnosis]
    assert "By function and class: passed make_minibatches, Adam," in v.summary and "failed train (" in v.summary
    first = next(c for c in v.cases if not c.passed and c.name.startswith("train 1") or
                 not c.passed and c.name.startswith("train 2"))
    assert first.message.startswith(f'train["history"][{epoch}]'), first.message


def test_a_wrong_component_is_named_though_train_fails_too(ex, sandbox):
    m = next(x for x in ex.mistakes if x.name == "dropout-not-rescaled")
    v = grade(ex, mistake_source(ex, m), filename="capstone_digits.py", seed=11, sandbox=sandbox)
    assert [d.name for d in v.diagnosis] == ["dropout-not-rescaled"]
    assert "dropout_forward (" in v.summary and "train (" in v.summary


def test_changing_the_callers_params_is_reported(ex, sandbox):
    source = ex.solution.replace("params = {k: np.array(v, dtype=float) for k, v in params.items()}", "pass")
    assert source != ex.solution
    v = grade(ex, source, filename="capstone_digits.py", seed=11, sandbox=sandbox)
    assert not v.passed
    assert any("changed its input params in place" in c.message for c in v.cases if c.name.startswith("train"))
