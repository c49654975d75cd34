"""Finite-difference checks of the MLP's backward pass (central differences, relative error < 1e-7)."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core.gradcheck import check_model, gradcheck, numerical_gradients, relative_error
from tutor.core.model import MLP

TOL = 1e-7


def _targets(rng, m, k, output):
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, m)]
    if output == "sigmoid":
        return (rng.random((m, k)) < 0.5).astype(float)
    return rng.standard_normal((m, k))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear"])
@pytest.mark.parametrize(
    "output,loss,k",
    [("linear", "mse", 2), ("tanh", "mse", 1), ("sigmoid", "cross_entropy", 1), ("softmax", "cross_entropy", 3)],
)
def test_smooth_networks_pass(activation, output, loss, k):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 3))
    Y = _targets(rng, 6, k, output)
    model = MLP([3, 5, 4, k], rng=rng, activation=activation, output=output, loss=loss)
    assert check_model(model, X, Y).relative_error < TOL


@pytest.mark.parametrize("penalty", ["l2", "l1", "elastic_net"])
def test_penalties_pass(penalty):
    # L1's kink is at W = 0: the weights drawn here are far from it (|W| > 1e-3 checked).
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 3))
    Y = _targets(rng, 5, 1, "sigmoid")
    model = MLP([3, 4, 1], rng=rng, activation="tanh", output="sigmoid", loss="cross_entropy",
                penalty=penalty, lambd=0.5, lambd1=0.4, lambd2=0.3)
    assert np.abs(model.weights()).min() > 1e-3
    assert check_model(model, X, Y).relative_error < TOL


def _relu_case_away_from_kink():
    """A ReLU network whose pre-activations all stay ≥ 1e-2 away from 0 (searched over seeds)."""
    for seed in range(200):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((4, 2))
        model = MLP([2, 5, 3, 1], rng=rng, activation="relu")
        _, cache = model.forward(X)
        if min(np.abs(c[0]).min() for c in cache[1:-1]) > 1e-2:
            return model, X, rng.standard_normal((4, 1))
    raise AssertionError("no seed keeps the ReLU inputs away from the kink")


def test_relu_network_away_from_the_kink_passes():
    model, X, Y = _relu_case_away_from_kink()
    assert check_model(model, X, Y).relative_error < TOL


def test_dropout_with_fixed_masks_passes():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((7, 3))
    Y = _targets(rng, 7, 2, "softmax")
    model = MLP([3, 6, 6, 2], rng=rng, activation="tanh", output="softmax", loss="cross_entropy",
                keep_probs=(0.5, 0.8), input_keep_prob=0.9)
    assert check_model(model, X, Y, seed=4).relative_error < TOL


def test_dropconnect_with_fixed_masks_passes():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 3))
    Y = rng.standard_normal((5, 1))
    model = MLP([3, 4, 1], rng=rng, activation="sigmoid", keep_probs=0.7, dropout="dropconnect")
    assert check_model(model, X, Y, seed=9).relative_error < TOL


def test_a_wrong_gradient_is_caught():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((5, 3))
    Y = rng.standard_normal((5, 1))
    model = MLP([3, 4, 1], rng=rng, activation="tanh")
    _, grads = model.loss_and_grads(X, Y, training=False)
    wrong = {k: v.copy() for k, v in grads.items()}
    wrong["dW1"] *= 1.01  # a 1 % error in one layer
    result = gradcheck(lambda: model.loss(X, Y), model.params, wrong)
    assert result.relative_error > 1e-4
    assert result.per_key["dW1"] > 1e-3
    assert result.per_key["dW2"] < TOL
    assert not result.passed()


def test_numerical_gradients_restore_parameters_exactly():
    rng = np.random.default_rng(5)
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    before = {k: v.copy() for k, v in params.items()}
    num = numerical_gradients(lambda: float(np.sum(params["W"] ** 3) + np.sum(np.sin(params["b"]))), params)
    for k in params:
        assert np.array_equal(params[k], before[k])
    np.testing.assert_allclose(num["dW"], 3 * before["W"] ** 2, rtol=1e-8)
    np.testing.assert_allclose(num["db"], np.cos(before["b"]), rtol=1e-8)


def test_relative_error():
    a = np.array([1.0, 2.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="shape"):
        relative_error(a, np.ones(3))


def test_bad_input():
    with pytest.raises(ValueError, match="eps"):
        numerical_gradients(lambda: 0.0, {"W": np.ones(2)}, eps=0.0)
    with pytest.raises(ValueError, match="float64"):
        numerical_gradients(lambda: 0.0, {"W": np.ones(2, dtype=np.float32)})
    with pytest.raises(ValueError, match="dW"):
        gradcheck(lambda: 0.0, {"W": np.ones(2)}, {"db": np.ones(2)})
