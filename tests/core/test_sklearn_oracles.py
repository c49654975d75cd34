"""Regularized linear and logistic regression trained to convergence equal scikit-learn's solutions.

Our cost is ``(1/2m)·‖Xw + b − y‖² + penalty`` (mean cross-entropy for logistic regression); the
mapping to scikit-learn's parameters is the one of ``oracles.md``:

| ours                          | scikit-learn                                           |
| λ/(2m)·‖w‖²                   | Ridge(alpha=λ)             (Ridge's data term has no 1/m) |
| λ/m·‖w‖₁                      | Lasso(alpha=λ/m)                                         |
| λ1/m·‖w‖₁ + λ2/(2m)·‖w‖²      | ElasticNet(alpha=(λ1+λ2)/m, l1_ratio=λ1/(λ1+λ2))         |
| mean CE + λ/(2m)·‖w‖²         | LogisticRegression(C=1/λ)                                |

scikit-learn's logistic objective *sums* the cross-entropy: ``½‖w‖² + C·Σ CE``. Divided by
``C·m = m/λ`` it is ``(1/m)·Σ CE + λ/(2m)·‖w‖²``, ours exactly, so the minimizers coincide.

The intercept is never penalized on either side. Trained by full-batch gradient descent (the MLP
with SGD, for L2) or proximal gradient (``fit_linear``, for L1 and Elastic Net).
"""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core.model import MLP
from tutor.core.optimizers import make_optimizer
from tutor.core.training import fit_linear, train

linear_model = pytest.importorskip(
    "sklearn.linear_model", reason="scikit-learn is the oracle for the penalties (pip install .[oracle])"
)


def _regression(seed: int = 0, m: int = 60, n: int = 6):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)) + 0.3
    w = np.array([1.5, -2.0, 0.0, 0.5, 0.0, 0.05])[:n]
    y = X @ w + 0.7 + 0.5 * rng.standard_normal(m)
    return X, y


def _classification(seed: int = 1, m: int = 80, n: int = 4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n))
    p = 1 / (1 + np.exp(-(X @ np.array([1.0, -2.0, 0.5, 0.0])[:n] + 0.3)))
    y = (rng.random(m) < p).astype(float)
    return X, y


def _gd_linear(X, y, *, penalty, lambd, loss="mse", output="linear", steps=4000):
    """The MLP without hidden layer trained by full-batch gradient descent at rate 1/L."""
    m, n = X.shape
    Xa = np.hstack([X, np.ones((m, 1))])
    L = np.linalg.eigvalsh(Xa.T @ Xa / m)[-1] * (0.25 if loss == "cross_entropy" else 1.0) + lambd / m
    model = MLP([n, 1], output=output, loss=loss, penalty=penalty, lambd=lambd)
    hist = train(model, X, y[:, None], make_optimizer("sgd", lr=1.0 / L), steps, m,
                 np.random.default_rng(0), eval_every=0)
    assert hist.diverged_at is None
    return model.params["W1"][:, 0], float(model.params["b1"][0])


@pytest.mark.parametrize("lambd", [0.5, 7.0])
def test_l2_equals_ridge(lambd):
    X, y = _regression()
    sk = linear_model.Ridge(alpha=lambd, fit_intercept=True, tol=1e-12, solver="cholesky").fit(X, y)
    w, b = _gd_linear(X, y, penalty="l2", lambd=lambd)
    np.testing.assert_allclose(w, sk.coef_, rtol=1e-9, atol=1e-11)
    assert b == pytest.approx(sk.intercept_, rel=1e-9, abs=1e-11)
    for method in ("proximal", "auto"):
        fit = fit_linear(X, y, penalty="l2", lambd=lambd, method=method)
        np.testing.assert_allclose(fit.w, sk.coef_, rtol=1e-10, atol=1e-12)
        assert fit.b == pytest.approx(sk.intercept_, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("lambd", [2.0, 15.0])
def test_l1_equals_lasso(lambd):
    X, y = _regression()
    m = X.shape[0]
    sk = linear_model.Lasso(alpha=lambd / m, fit_intercept=True, tol=1e-14, max_iter=10**6).fit(X, y)
    fit = fit_linear(X, y, penalty="l1", lambd=lambd)
    assert fit.converged
    np.testing.assert_allclose(fit.w, sk.coef_, rtol=1e-8, atol=1e-10)
    assert fit.b == pytest.approx(sk.intercept_, rel=1e-8, abs=1e-10)
    # the zeros are exact zeros on both sides
    assert np.array_equal(fit.w == 0.0, sk.coef_ == 0.0)
    assert np.any(fit.w == 0.0)


def test_l1_subgradient_descent_reaches_lassos_objective():
    """Plain sign-subgradient GD (the l1_grads of the lessons) does not reach exact zeros, but its
    objective comes within the jitter of ``lr·λ/m`` of scikit-learn's."""
    X, y = _regression()
    m = X.shape[0]
    lambd = 5.0
    sk = linear_model.Lasso(alpha=lambd / m, tol=1e-14, max_iter=10**6).fit(X, y)
    model = MLP([X.shape[1], 1], penalty="l1", lambd=lambd)
    train(model, X, y[:, None], make_optimizer("sgd", lr=0.002), 8000, m, np.random.default_rng(0), eval_every=0)
    ours = model.loss(X, y[:, None])
    r = X @ sk.coef_ + sk.intercept_ - y
    theirs = r @ r / (2 * m) + lambd / m * np.abs(sk.coef_).sum()
    assert theirs <= ours <= theirs + 1e-4
    np.testing.assert_allclose(model.params["W1"][:, 0], sk.coef_, atol=0.01)


@pytest.mark.parametrize("lambd1,lambd2", [(3.0, 4.0), (8.0, 1.0)])
def test_elastic_net_equals_sklearn(lambd1, lambd2):
    X, y = _regression(2)
    m = X.shape[0]
    sk = linear_model.ElasticNet(
        alpha=(lambd1 + lambd2) / m, l1_ratio=lambd1 / (lambd1 + lambd2), tol=1e-14, max_iter=10**6
    ).fit(X, y)
    fit = fit_linear(X, y, penalty="elastic_net", lambd1=lambd1, lambd2=lambd2)
    np.testing.assert_allclose(fit.w, sk.coef_, rtol=1e-8, atol=1e-10)
    assert fit.b == pytest.approx(sk.intercept_, rel=1e-8, abs=1e-10)


@pytest.mark.parametrize("lambd", [0.3, 4.0])
def test_l2_logistic_regression_equals_sklearn(lambd):
    X, y = _classification()
    sk = linear_model.LogisticRegression(C=1.0 / lambd, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
    fit = fit_linear(X, y, loss="cross_entropy", penalty="l2", lambd=lambd)
    assert fit.converged
    np.testing.assert_allclose(fit.w, sk.coef_[0], rtol=1e-8, atol=1e-10)
    assert fit.b == pytest.approx(sk.intercept_[0], rel=1e-8, abs=1e-10)
    # and the MLP (sigmoid output, cross-entropy, l2) trained by plain full-batch GD
    w, b = _gd_linear(X, y, penalty="l2", lambd=lambd, loss="cross_entropy", output="sigmoid", steps=6000)
    np.testing.assert_allclose(w, sk.coef_[0], rtol=1e-7, atol=1e-9)
    assert b == pytest.approx(sk.intercept_[0], rel=1e-7, abs=1e-9)
