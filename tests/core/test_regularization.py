"""Penalties against torch autograd, and their scale conventions against scikit-learn's solvers.

scikit-learn oracle (oracles.md): for a linear model with cost ``(1/2m)|Xw+b-y|^2 + penalty``, our
``l2``/``l1``/``elastic_net`` penalties are minimized by ``Ridge(alpha=λ)``, ``Lasso(alpha=λ/m)`` and
``ElasticNet(alpha=(λ1+λ2)/m, l1_ratio=λ1/(λ1+λ2))``. We check this through the optimality
conditions written with our ``*_grads`` functions at scikit-learn's solution, and for Ridge also by
training to convergence with gradient descent.
"""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core import (
    elastic_net_cost,
    elastic_net_grads,
    l1_cost,
    l1_grads,
    l2_cost,
    l2_grads,
    penalty_cost,
    penalty_grads,
)


def make_params(seed: int = 0, with_zero: bool = True):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5), "W2": rng.normal(size=(5, 2)), "b2": rng.normal(size=2)}
    if with_zero:
        params["W1"][0, 0] = 0.0  # sign(0) = 0
    grads = {"d" + k: rng.normal(size=v.shape) for k, v in params.items()}
    return params, grads


def test_known_values():
    params = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([100.0]), "W2": np.array([3.0])}
    assert l2_cost(params, 0.5, 2) == pytest.approx(0.5 / 4 * 14)
    assert l1_cost(params, 0.5, 2) == pytest.approx(0.5 / 2 * 6)
    assert elastic_net_cost(params, 0.5, 0.2, 2) == pytest.approx(0.25 * 6 + 0.05 * 14)
    assert type(l2_cost(params, 0.5, 2)) is float
    grads = {"dW1": np.zeros((1, 2)), "db1": np.array([7.0]), "dW2": np.array([1.0])}
    out = l1_grads(grads, params, 2.0, 4)
    np.testing.assert_array_equal(out["dW1"], [[0.5, -0.5]])
    np.testing.assert_array_equal(out["db1"], [7.0])
    np.testing.assert_array_equal(out["dW2"], [1.5])


@pytest.mark.parametrize("kind", ["l2", "l1", "elastic_net"])
def test_cost_and_grads_equal_torch_autograd(kind):
    torch = pytest.importorskip("torch", reason="torch autograd is the oracle for the penalty gradients")
    params, grads = make_params()
    lambd1, lambd2, m = 0.7, 1.3, 11
    t = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    weights = [p for k, p in t.items() if k.startswith("W")]
    l1 = sum(w.abs().sum() for w in weights)
    l2 = sum((w**2).sum() for w in weights)
    if kind == "l2":
        pen = lambd2 / (2 * m) * l2
        ours_cost = l2_cost(params, lambd2, m)
        ours_grads = l2_grads(grads, params, lambd2, m)
    elif kind == "l1":
        pen = lambd1 / m * l1
        ours_cost = l1_cost(params, lambd1, m)
        ours_grads = l1_grads(grads, params, lambd1, m)
    else:
        pen = lambd1 / m * l1 + lambd2 / (2 * m) * l2
        ours_cost = elastic_net_cost(params, lambd1, lambd2, m)
        ours_grads = elastic_net_grads(grads, params, lambd1, lambd2, m)
    pen.backward()
    assert ours_cost == pytest.approx(pen.item(), rel=1e-14)
    assert set(ours_grads) == set(grads)
    for k, p in t.items():
        expected = grads["d" + k] + (p.grad.numpy() if k.startswith("W") else 0.0)
        np.testing.assert_allclose(ours_grads["d" + k], expected, rtol=1e-14, atol=1e-15)
    # the generic helpers agree with the named functions
    assert penalty_cost(params, kind, lambd1, lambd2, m) == ours_cost
    for k, v in penalty_grads(grads, params, kind, lambd1, lambd2, m).items():
        np.testing.assert_array_equal(v, ours_grads[k])


def test_none_penalty_is_zero_and_copies():
    params, grads = make_params()
    assert penalty_cost(params, "none", 1.0, 1.0, 3) == 0.0
    out = penalty_grads(grads, params, "none", 1.0, 1.0, 3)
    for k in grads:
        np.testing.assert_array_equal(out[k], grads[k])
        assert out[k] is not grads[k]


def test_grads_functions_return_new_arrays_and_do_not_mutate():
    params, grads = make_params()
    p0 = {k: v.copy() for k, v in params.items()}
    g0 = {k: v.copy() for k, v in grads.items()}
    for out in (l2_grads(grads, params, 1.0, 5), l1_grads(grads, params, 1.0, 5),
                elastic_net_grads(grads, params, 1.0, 2.0, 5)):
        assert out is not grads
        for k in out:
            assert out[k] is not grads[k]
            assert not np.shares_memory(out[k], grads[k])
    for k in params:
        np.testing.assert_array_equal(params[k], p0[k])
        np.testing.assert_array_equal(grads["d" + k], g0["d" + k])


# ---- scikit-learn: the scale conventions ------------------------------------------------------------

def regression_data(seed=0, m=60, n=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    w_true = np.array([2.0, -1.0, 0.0, 0.5, 0.0])[:n]
    y = X @ w_true + 0.3 + 0.5 * rng.normal(size=m)
    return X, y


def data_grads(X, y, w, b):
    """Gradient of (1/2m)|Xw+b-y|^2 as a grads dict."""
    m = X.shape[0]
    r = X @ w + b - y
    return {"dW": X.T @ r / m, "db": np.array([r.mean()])}


def test_l2_equals_ridge_by_gradient_descent_to_convergence():
    sklearn = pytest.importorskip("sklearn.linear_model", reason="scikit-learn's Ridge is the oracle")
    X, y = regression_data()
    m = X.shape[0]
    lambd = 6.0
    ref = sklearn.Ridge(alpha=lambd, tol=1e-12).fit(X, y)
    params = {"W": np.zeros(X.shape[1]), "b": np.zeros(1)}
    for _ in range(3000):
        g = l2_grads(data_grads(X, y, params["W"], params["b"][0]), params, lambd, m)
        params = {"W": params["W"] - 0.5 * g["dW"], "b": params["b"] - 0.5 * g["db"]}
    np.testing.assert_allclose(params["W"], ref.coef_, rtol=1e-10, atol=1e-12)
    assert params["b"][0] == pytest.approx(ref.intercept_, rel=1e-10)


def test_l1_scale_equals_lasso():
    sklearn = pytest.importorskip("sklearn.linear_model", reason="scikit-learn's Lasso is the oracle")
    X, y = regression_data(1)
    m = X.shape[0]
    lambd = 20.0
    ref = sklearn.Lasso(alpha=lambd / m, tol=1e-14, max_iter=100_000).fit(X, y)
    w, b = ref.coef_, ref.intercept_
    assert np.sum(w == 0) >= 1, "the test needs a zeroed weight to check the subgradient condition"
    params = {"W": w, "b": np.array([b])}
    g_data = data_grads(X, y, w, b)
    g = l1_grads(g_data, params, lambd, m)
    nz = w != 0
    # optimality: the full gradient vanishes on the non-zero weights ...
    np.testing.assert_allclose(g["dW"][nz], 0.0, atol=1e-9)
    # ... and on the zero weights the data gradient is inside [-λ/m, λ/m]
    assert np.all(np.abs(g_data["dW"][~nz]) <= lambd / m + 1e-9)
    assert abs(g["db"][0]) < 1e-9


def test_elastic_net_scale_equals_sklearn():
    sklearn = pytest.importorskip("sklearn.linear_model", reason="scikit-learn's ElasticNet is the oracle")
    X, y = regression_data(2)
    m = X.shape[0]
    lambd1, lambd2 = 15.0, 10.0
    ref = sklearn.ElasticNet(alpha=(lambd1 + lambd2) / m, l1_ratio=lambd1 / (lambd1 + lambd2),
                             tol=1e-14, max_iter=100_000).fit(X, y)
    w, b = ref.coef_, ref.intercept_
    params = {"W": w, "b": np.array([b])}
    g_data = data_grads(X, y, w, b)
    g = elastic_net_grads(g_data, params, lambd1, lambd2, m)
    nz = w != 0
    np.testing.assert_allclose(g["dW"][nz], 0.0, atol=1e-9)
    assert np.all(np.abs(g_data["dW"][~nz]) <= lambd1 / m + 1e-9)


def test_l2_logistic_regression_scale_equals_sklearn():
    sklearn = pytest.importorskip("sklearn.linear_model", reason="LogisticRegression is the oracle")
    rng = np.random.default_rng(4)
    X = rng.normal(size=(80, 3))
    y = (X @ np.array([1.5, -2.0, 0.5]) + 0.3 * rng.normal(size=80) > 0).astype(float)
    m = X.shape[0]
    lambd = 4.0
    ref = sklearn.LogisticRegression(C=1 / lambd, tol=1e-12, max_iter=10_000).fit(X, y)
    w, b = ref.coef_.ravel(), ref.intercept_[0]
    p = 1 / (1 + np.exp(-(X @ w + b)))
    g_data = {"dW": X.T @ (p - y) / m, "db": np.array([np.mean(p - y)])}
    g = l2_grads(g_data, {"W": w, "b": np.array([b])}, lambd, m)
    np.testing.assert_allclose(g["dW"], 0.0, atol=1e-7)
    assert abs(g["db"][0]) < 1e-7


# ---- bad input -------------------------------------------------------------------------------------

P = {"W1": np.ones((2, 3)), "b1": np.ones(3)}
G = {"dW1": np.ones((2, 3)), "db1": np.ones(3)}


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: l2_grads({"db1": np.ones(3)}, P, 1.0, 2), "grads must have a key 'dW1'"),
        (lambda: l2_grads({"dW1": np.ones((3, 2)), "db1": np.ones(3)}, P, 1.0, 2), r"grads\['dW1'\] must have the shape"),
        (lambda: l2_cost(P, -1.0, 2), "lambd must be >= 0"),
        (lambda: l2_cost(P, 1.0, 0), "m must be >= 1"),
        (lambda: l1_cost(P, 1.0, 2.5), "m must be an integer"),
        (lambda: l1_grads(G, [1, 2], 1.0, 2), "params must be a dict"),
        (lambda: l1_grads(None, P, 1.0, 2), "grads must be a dict"),
        (lambda: elastic_net_cost(P, 1.0, -2.0, 2), "lambd2 must be >= 0"),
        (lambda: elastic_net_grads(G, P, -1.0, 2.0, 2), "lambd1 must be >= 0"),
        (lambda: penalty_cost(P, "l3", 1.0, 1.0, 2), "kind must be one of"),
        (lambda: l2_cost({"W1": "abc"}, 1.0, 2), "must be an array of numbers"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
