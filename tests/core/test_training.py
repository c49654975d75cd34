"""The training loop, its history, schedules, early stopping, divergence, and the linear fits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tutor.core import data
from tutor.core.minibatch import make_minibatches
from tutor.core.model import MLP
from tutor.core.optimizers import make_optimizer
from tutor.core.schedules import step_decay
from tutor.core.selection import early_stopping, kfold_indices
from tutor.core.training import (
    History,
    cross_validate_lambda,
    fit_linear,
    lambda_path,
    soft_threshold,
    train,
)


def _setup(seed=0, classifier=True):
    rng = np.random.default_rng(seed)
    X, Y = data.moons(120, rng, noise=0.2)
    if not classifier:
        Y = X[:, :1] * 2 - X[:, 1:] + 0.1 * rng.standard_normal((120, 1))
    Xtr, Ytr, Xva, Yva = data.train_val_split(X, Y, 0.25, rng)
    kw = dict(output="sigmoid", loss="cross_entropy") if classifier else {}
    model = MLP([2, 8, 1], rng=np.random.default_rng(1), activation="tanh", **kw)
    return model, Xtr, Ytr, Xva, Yva


def test_history_shapes_and_values():
    model, X, Y, Xv, Yv = _setup()
    h = train(model, X, Y, make_optimizer("adam", lr=0.05), 5, 16, np.random.default_rng(2), Xv, Yv)
    assert isinstance(h, History)
    per_epoch = math.ceil(90 / 16)
    assert h.steps == 5 * per_epoch
    assert list(h.epochs) == [0, 1, 2, 3, 4, 5]
    for arr in (h.train_loss, h.val_loss, h.train_acc, h.val_acc):
        assert arr.shape == (6,) and arr.dtype == np.float64 and np.all(np.isfinite(arr))
    assert h.epoch_loss.shape == (5,) and h.lr.shape == (5,)
    assert h.train_loss[-1] < h.train_loss[0]
    assert h.train_loss[-1] == pytest.approx(model.loss(X, Y, penalty=False))
    assert h.val_acc[-1] == pytest.approx(model.accuracy(Xv, Yv))
    np.testing.assert_allclose(h.epoch_loss[0], h.step_loss[:per_epoch].mean())
    assert h.diverged_at is None and h.notes == ()
    assert not h.step_loss.flags.writeable


def test_regression_has_no_accuracy_and_no_validation_is_fine():
    model, X, Y, _, _ = _setup(classifier=False)
    h = train(model, X, Y, make_optimizer("sgd", lr=0.1), 3, 30, np.random.default_rng(0))
    assert h.train_acc.size == 0 and h.val_loss.size == 0 and h.val_acc.size == 0
    assert h.train_loss.size == 4


def test_the_loop_is_make_minibatches_then_one_step_per_batch():
    model, X, Y, _, _ = _setup()
    twin = model.copy()
    train(model, X, Y, make_optimizer("momentum", lr=0.1), 3, 32, np.random.default_rng(7), eval_every=0)
    rng = np.random.default_rng(7)
    opt = make_optimizer("momentum", lr=0.1)
    for _ in range(3):
        for Xb, Yb in make_minibatches(X, Y, 32, rng):
            _, grads = twin.loss_and_grads(Xb, Yb)
            opt.step(twin.params, grads)
    np.testing.assert_allclose(model.theta, twin.theta, rtol=1e-13, atol=1e-15)


def test_grouped_and_per_layer_updates_agree_and_inputs_are_untouched():
    model, X, Y, Xv, Yv = _setup()
    other = model.copy()
    X0, Y0 = X.copy(), Y.copy()
    h1 = train(model, X, Y, make_optimizer("adam", lr=0.02), 4, 10, np.random.default_rng(3), Xv, Yv)
    h2 = train(other, X, Y, make_optimizer("adam", lr=0.02), 4, 10, np.random.default_rng(3), Xv, Yv,
               grouped=False)
    np.testing.assert_allclose(model.theta, other.theta, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(h1.val_loss, h2.val_loss, rtol=1e-12)
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)


def test_a_learner_optimizer_that_rebinds_keys_works():
    class Rebinding:
        lr = 0.1

        def step(self, params, grads):
            for k in list(params):
                params[k] = params[k] - self.lr * grads["d" + k]

    model, X, Y, _, _ = _setup()
    twin = model.copy()
    train(model, X, Y, Rebinding(), 2, 30, np.random.default_rng(4), eval_every=0)
    train(twin, X, Y, make_optimizer("sgd", lr=0.1), 2, 30, np.random.default_rng(4), eval_every=0)
    np.testing.assert_allclose(model.theta, twin.theta, rtol=1e-13)
    model2 = twin.copy()
    train(model2, X, Y, Rebinding(), 2, 30, np.random.default_rng(4), eval_every=0, grouped=False)
    train(twin, X, Y, make_optimizer("sgd", lr=0.1), 2, 30, np.random.default_rng(4), eval_every=0)
    np.testing.assert_allclose(model2.theta, twin.theta, rtol=1e-13)


def test_schedules_per_epoch_and_per_step():
    model, X, Y, _, _ = _setup()
    opt = make_optimizer("sgd", lr=1.0)
    h = train(model, X, Y, opt, 6, 45, np.random.default_rng(0),
              schedule=lambda e: step_decay(0.4, e, 0.5, 2))
    assert list(h.lr) == [0.4, 0.4, 0.2, 0.2, 0.1, 0.1]
    seen = []

    def per_step(i):
        seen.append(i)
        return 0.1

    train(model, X, Y, opt, 2, 45, np.random.default_rng(0), schedule=per_step, schedule_per="step")
    assert seen == [0, 1, 2, 3]


def test_early_stopping_follows_the_contract_rule():
    model, X, Y, Xv, Yv = _setup(classifier=False)
    full = train(model.copy(), X, Y, make_optimizer("adam", lr=0.3), 40, 8, np.random.default_rng(5), Xv, Yv)
    best, stop = early_stopping(full.val_loss[1:], 3)
    assert stop - best == 3, "this run must trigger early stopping for the test to mean anything"
    m = model.copy()
    h = train(m, X, Y, make_optimizer("adam", lr=0.3), 40, 8, np.random.default_rng(5), Xv, Yv,
              early_stopping=3, restore_best=True)
    assert h.best_epoch == best + 1 and h.stopped_epoch == stop + 1
    assert h.epochs[-1] == stop + 1
    assert any("early stopping" in n for n in h.notes)
    assert m.loss(Xv, Yv, penalty=False) == pytest.approx(full.val_loss[best + 1])


def test_divergence_is_cut_and_marked():
    model, X, Y, Xv, Yv = _setup(classifier=False)
    h = train(model, X, Y, make_optimizer("sgd", lr=50.0), 20, 90, np.random.default_rng(0), Xv, Yv)
    assert h.diverged_at is not None and h.diverged_at > 1
    assert h.notes == (f"diverged at step {h.diverged_at}",)
    assert h.steps == h.diverged_at - 1
    for arr in (h.step_loss, h.train_loss, h.val_loss, h.epoch_loss):
        assert np.all(np.isfinite(arr))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"rng": 0}, "rng"),
        ({"X_val": np.ones((3, 2))}, "X_val"),
        ({"early_stopping": 3}, "early_stopping"),
        ({"optimizer": object()}, "optimizer"),
        ({"schedule": 0.1}, "schedule"),
        ({"schedule_per": "batch"}, "schedule_per"),
        ({"Y": np.ones((5, 1))}, "Y"),
    ],
)
def test_bad_arguments(kwargs, match):
    model, X, Y, _, _ = _setup()
    args = dict(model=model, X=X, Y=Y, optimizer=make_optimizer("sgd", lr=0.1), epochs=1, batch_size=8,
                rng=np.random.default_rng(0))
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        train(**args)


def test_model_must_be_an_mlp():
    with pytest.raises(ValueError, match="model"):
        train("mlp", np.ones((2, 2)), np.ones((2, 1)), make_optimizer("sgd", lr=0.1), 1, 1, np.random.default_rng(0))


# ----------------------------------------------------------------------------- linear fits


def test_soft_threshold():
    np.testing.assert_array_equal(soft_threshold(np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 1.0),
                                  [-2.0, 0.0, 0.0, 0.0, 2.0])


def test_fit_linear_without_penalty_is_least_squares():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 3.0 + 0.1 * rng.standard_normal(40)
    Xa = np.hstack([X, np.ones((40, 1))])
    theta = np.linalg.lstsq(Xa, y, rcond=None)[0]
    for method in ("auto", "proximal"):
        fit = fit_linear(X, y, method=method)
        np.testing.assert_allclose(fit.w, theta[:3], rtol=1e-9)
        assert fit.b == pytest.approx(theta[3], rel=1e-9)


def test_fit_linear_bad_input():
    with pytest.raises(ValueError, match="X"):
        fit_linear(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="penalty"):
        fit_linear(np.ones((3, 2)), np.ones(3), penalty="l0")
    with pytest.raises(ValueError, match="loss"):
        fit_linear(np.ones((3, 2)), np.ones(3), loss="hinge")
    with pytest.raises(ValueError, match="method"):
        fit_linear(np.ones((3, 2)), np.ones(3), method="newton")
    with pytest.raises(ValueError, match="lambd"):
        fit_linear(np.ones((3, 2)), np.ones(3), penalty="l1", lambd=-1)


def test_lambda_path_and_cross_validation():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 4))
    y = X @ np.array([2.0, -1.0, 0.0, 0.0]) + 0.3 * rng.standard_normal(30)
    lambdas = np.geomspace(100, 0.01, 8)
    W = lambda_path(X, y, lambdas, penalty="l1")
    assert W.shape == (8, 4)
    assert np.all(W[0] == 0.0) and np.sum(W[-1] != 0.0) >= 3
    for i, lam in enumerate(lambdas):
        np.testing.assert_allclose(W[i], fit_linear(X, y, penalty="l1", lambd=lam).w, atol=1e-9)
    best, val, tr = cross_validate_lambda(X, y, [0.01, 1.0, 1000.0], 5, np.random.default_rng(2), penalty="l2")
    assert val.shape == (3,) and best == [0.01, 1.0, 1000.0][int(np.argmin(val))]
    assert val[2] > val[0]
    # the folds are kfold_indices' with that rng
    folds = kfold_indices(30, 5, np.random.default_rng(2))
    expect = 0.0
    for tr_idx, va_idx in folds:
        f = fit_linear(X[tr_idx], y[tr_idx], penalty="l2", lambd=1.0)
        r = X[va_idx] @ f.w + f.b - y[va_idx]
        expect += (r @ r) / (2 * len(va_idx)) / 5
    assert val[1] == pytest.approx(expect, rel=1e-10)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(deadline=None, max_examples=20)
@given(
    m=st.integers(1, 12),
    n_in=st.integers(1, 4),
    hidden=st.integers(1, 6),
    batch=st.integers(1, 15),
    epochs=st.integers(1, 3),
    name=st.sampled_from(["sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw"]),
    seed=st.integers(0, 2**16),
)
def test_property_train_any_shape_no_mutation_finite_history(m, n_in, hidden, batch, epochs, name, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n_in))
    Y = rng.standard_normal((m, 1))
    X0, Y0 = X.copy(), Y.copy()
    model = MLP([n_in, hidden, 1], rng=rng, activation="tanh", keep_probs=0.8)
    h = train(model, X, Y, make_optimizer(name, lr=0.01), epochs, batch, rng, X, Y)
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)
    assert h.steps == epochs * math.ceil(m / batch)
    for arr in (h.step_loss, h.train_loss, h.val_loss, h.epoch_loss):
        assert arr.dtype == np.float64 and np.all(np.isfinite(arr))
    assert model.theta.dtype == np.float64


@settings(deadline=None, max_examples=20)
@given(
    m=st.integers(2, 15),
    n=st.integers(1, 5),
    penalty=st.sampled_from(["none", "l1", "l2", "elastic_net"]),
    lambd=st.floats(0.0, 10.0),
    seed=st.integers(0, 2**16),
)
def test_property_fit_linear_is_a_minimum(m, n, penalty, lambd, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n))
    y = rng.standard_normal(m)
    X0 = X.copy()
    fit = fit_linear(X, y, penalty=penalty, lambd=lambd, lambd1=lambd, lambd2=lambd, max_steps=20000)
    assert np.array_equal(X, X0)
    assert fit.w.dtype == np.float64 and np.all(np.isfinite(fit.w))
    # no small move of (w, b) lowers the objective
    from tutor.core.training import _linear_objective

    lam1 = lambd if penalty in ("l1", "elastic_net") else 0.0
    lam2 = lambd if penalty in ("l2", "elastic_net") else 0.0
    best = _linear_objective(X, y, fit.w, fit.b, "mse", lam1, lam2)
    for _ in range(10):
        dw = 1e-4 * rng.standard_normal(n)
        db = 1e-4 * rng.standard_normal()
        assert _linear_objective(X, y, fit.w + dw, fit.b + db, "mse", lam1, lam2) >= best - 1e-10
