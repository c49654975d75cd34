"""Seeded data generators and the 2-D objectives."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.core import data

GENERATORS = {
    "polynomial": lambda m, rng: data.polynomial(m, rng),
    "moons": lambda m, rng: data.moons(m, rng),
    "circles": lambda m, rng: data.circles(m, rng),
    "spirals": lambda m, rng: data.spirals(m, rng),
    "spirals3": lambda m, rng: data.spirals(m, rng, classes=3),
    "overfit_set": lambda m, rng: data.overfit_set(m, rng),
    "overfit_clf": lambda m, rng: data.overfit_set(m, rng, classification=True),
    "correlated_groups": lambda m, rng: data.correlated_groups(m, rng),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_seeded_float64_shapes(name):
    gen = GENERATORS[name]
    X1, Y1 = gen(41, np.random.default_rng(3))
    X2, Y2 = gen(41, np.random.default_rng(3))
    X3, _ = gen(41, np.random.default_rng(4))
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)
    assert X1.dtype == np.float64 and Y1.dtype == np.float64
    assert X1.shape[0] == Y1.shape[0] == 41 and X1.ndim == 2 and Y1.ndim == 2
    assert np.all(np.isfinite(X1)) and np.all(np.isfinite(Y1))


@pytest.mark.parametrize("name", ["moons", "circles", "spirals", "overfit_clf"])
def test_binary_labels(name):
    _, Y = GENERATORS[name](200, np.random.default_rng(0))
    assert Y.shape == (200, 1) and set(np.unique(Y)) == {0.0, 1.0}
    assert 0.3 < Y.mean() < 0.7


def test_spirals_one_hot_and_classes_balanced():
    _, Y = data.spirals(90, np.random.default_rng(0), classes=3)
    assert Y.shape == (90, 3) and np.all(Y.sum(axis=1) == 1) and list(Y.sum(axis=0)) == [30, 30, 30]


def test_moons_geometry():
    X, Y = data.moons(400, np.random.default_rng(1), noise=0.0)
    top, bottom = X[Y[:, 0] == 0], X[Y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(top[:, 0], top[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(bottom[:, 0] - 1.0, bottom[:, 1] - 0.5), 1.0)


def test_circles_radii():
    X, Y = data.circles(100, np.random.default_rng(2), noise=0.0, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[Y[:, 0] == 1], 0.3)
    np.testing.assert_allclose(r[Y[:, 0] == 0], 1.0)


def test_polynomial_follows_its_coefficients():
    X, Y = data.polynomial(50, np.random.default_rng(0), coefs=(1.0, 0.0, 2.0), noise=0.0)
    np.testing.assert_allclose(Y[:, 0], 1.0 + 2.0 * X[:, 0] ** 2)
    F = data.polynomial_features(X, 3)
    np.testing.assert_allclose(F, np.column_stack([X[:, 0], X[:, 0] ** 2, X[:, 0] ** 3]))


def test_overfit_set_uses_only_the_informative_features():
    X, Y = data.overfit_set(500, np.random.default_rng(0), n_features=8, n_informative=2, noise=0.0)
    w = np.linalg.lstsq(X, Y[:, 0], rcond=None)[0]
    np.testing.assert_allclose(w, [1 / np.sqrt(2), -1 / np.sqrt(2), 0, 0, 0, 0, 0, 0], atol=1e-12)


def test_correlated_groups():
    X, _ = data.correlated_groups(2000, np.random.default_rng(0))
    C = np.corrcoef(X.T)
    assert C[0, 1] > 0.95 and C[3, 4] > 0.95 and abs(C[0, 3]) < 0.1 and abs(C[0, 8]) < 0.1


def test_train_val_split_and_standardize():
    X = np.arange(20.0).reshape(10, 2)
    Y = np.arange(10.0)[:, None]
    Xt, Yt, Xv, Yv = data.train_val_split(X, Y, 0.3, np.random.default_rng(0))
    assert Xt.shape == (7, 2) and Xv.shape == (3, 2)
    assert sorted(np.concatenate([Yt[:, 0], Yv[:, 0]])) == list(range(10))
    np.testing.assert_array_equal(Xt[:, 0] / 2, Yt[:, 0])
    S = data.standardize(X)
    np.testing.assert_allclose(S.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(S.std(axis=0), 1)


def test_one_hot():
    np.testing.assert_array_equal(data.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: data.moons(1, np.random.default_rng(0)), "m"),
        (lambda: data.moons(10, 0), "rng"),
        (lambda: data.moons(10, np.random.default_rng(0), noise=-1), "noise"),
        (lambda: data.circles(10, np.random.default_rng(0), factor=1.5), "factor"),
        (lambda: data.spirals(10, np.random.default_rng(0), classes=1), "classes"),
        (lambda: data.overfit_set(10, np.random.default_rng(0), n_features=2, n_informative=3), "n_informative"),
        (lambda: data.polynomial(10, np.random.default_rng(0), low=1, high=0), "high"),
        (lambda: data.polynomial_features(np.ones((3, 2)), 2), "x"),
        (lambda: data.train_val_split(np.ones((4, 1)), np.ones((4, 1)), 1.0, np.random.default_rng(0)), "val_fraction"),
        (lambda: data.train_val_split(np.ones((4, 1)), np.ones((3, 1)), 0.5, np.random.default_rng(0)), "rows"),
        (lambda: data.one_hot(np.array([3]), 3), "labels"),
        (lambda: data.quadratic_bowl(0.5), "condition"),
        (lambda: data.rosenbrock(b=0), "b"),
        (lambda: data.rosenbrock().value(np.ones(3)), "w"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _numeric_grad(f, w, eps=1e-6):
    g = np.zeros_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = eps
        g[i] = (f(w + e) - f(w - e)) / (2 * eps)
    return g


def test_rosenbrock_value_gradient_and_minimum():
    r = data.rosenbrock()
    assert r.value(np.array([1.0, 1.0])) == 0.0
    np.testing.assert_array_equal(r.grad(r.minimum), [0.0, 0.0])
    assert r.value(r.start) == pytest.approx(24.2)
    for w in (np.array([-1.2, 1.0]), np.array([0.3, -0.7])):
        np.testing.assert_allclose(r.grad(w), _numeric_grad(r.value, w), rtol=1e-7)
    grid = np.stack(np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4)), axis=-1)
    assert r.value(grid).shape == (4, 5) and r.grad(grid).shape == (4, 5, 2)


def test_quadratic_bowl_curvatures():
    b = data.quadratic_bowl(25.0)
    H = np.column_stack([b.grad(np.array([1.0, 0.0])), b.grad(np.array([0.0, 1.0]))])
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [1 / 25, 1.0])
    w = np.array([0.7, -0.2])
    assert b.value(w) == pytest.approx(0.5 * w @ H @ w)
    rot = data.quadratic_bowl(25.0, angle=0.5)
    np.testing.assert_allclose(rot.grad(rot.start), _numeric_grad(rot.value, rot.start), rtol=1e-7)
    assert not rot.start.flags.writeable
