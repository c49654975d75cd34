"""Seeded toy data sets and test functions (nothing downloaded).

Every generator draws only from the ``rng`` it is given (a ``numpy.random.Generator``), so the same
seed gives the same data. Examples run along axis 0: ``X`` is ``(m, n_features)``; ``Y`` is
``(m, 1)`` for regression and binary labels (0.0 or 1.0), one-hot ``(m, k)`` for ``k > 2`` classes.

- :func:`polynomial`: 1-D regression ``y = p(x) + noise`` (with :func:`polynomial_features`).
- :func:`moons`, :func:`circles`, :func:`spirals`: 2-D classification.
- :func:`overfit_set`: few examples, many features, few of them informative: a large model overfits.
- :func:`correlated_groups`: groups of near-identical features (Elastic Net vs L1).
- :func:`quadratic_bowl`, :func:`rosenbrock`: 2-D objectives (value and gradient) for optimizer paths.
- :func:`train_val_split`: a shuffled split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _check

__all__ = [
    "polynomial",
    "polynomial_features",
    "moons",
    "circles",
    "spirals",
    "overfit_set",
    "correlated_groups",
    "one_hot",
    "train_val_split",
    "standardize",
    "Objective",
    "quadratic_bowl",
    "rosenbrock",
]


def _m(m: object, minimum: int = 2) -> int:
    return _check.integer("m", m, minimum=minimum)


def _noise(noise: object) -> float:
    return _check.nonnegative("noise", noise)


def polynomial_features(x: np.ndarray, degree: int) -> np.ndarray:
    """``[x, x**2, ..., x**degree]`` for a column ``x`` of shape ``(m,)`` or ``(m, 1)``: ``(m, degree)``."""
    x = _check.array("x", x)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"x must have shape (m,) or (m, 1), got {x.shape}")
    degree = _check.integer("degree", degree, minimum=1)
    return x[:, None] ** np.arange(1, degree + 1)[None, :]


def polynomial(
    m: int,
    rng: np.random.Generator,
    *,
    coefs: tuple[float, ...] = (0.5, -1.0, 0.0, 1.5),
    noise: float = 0.1,
    low: float = -1.0,
    high: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """1-D regression: ``x ~ U(low, high)``, ``y = Σ_k coefs[k]·x**k + noise·N(0, 1)``.

    ``coefs[0]`` is the constant term. Returns ``X (m, 1)``, ``Y (m, 1)``.
    """
    m = _m(m, 1)
    rng = _check.generator("rng", rng)
    noise = _noise(noise)
    low = _check.number("low", low)
    high = _check.number("high", high)
    if high <= low:
        raise ValueError(f"high must be > low ({low}), got {high}")
    c = _check.array("coefs", coefs)
    if c.ndim != 1 or c.size < 1:
        raise ValueError("coefs must be a non-empty sequence of numbers")
    x = rng.uniform(low, high, size=m)
    y = np.polynomial.polynomial.polyval(x, c) + noise * rng.standard_normal(m)
    return x[:, None], y[:, None]


def moons(m: int, rng: np.random.Generator, *, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (class 0 on top, class 1 below), plus Gaussian noise.

    Half the points (rounded down) are class 0. Returns ``X (m, 2)``, ``Y (m, 1)`` of 0.0/1.0.
    """
    m = _m(m)
    rng = _check.generator("rng", rng)
    noise = _noise(noise)
    m0 = m // 2
    m1 = m - m0
    t0 = rng.uniform(0.0, np.pi, size=m0)
    t1 = rng.uniform(0.0, np.pi, size=m1)
    X0 = np.column_stack([np.cos(t0), np.sin(t0)])
    X1 = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([X0, X1]) + noise * rng.standard_normal((m, 2))
    Y = np.concatenate([np.zeros(m0), np.ones(m1)])[:, None]
    perm = rng.permutation(m)
    return X[perm], Y[perm]


def circles(
    m: int, rng: np.random.Generator, *, noise: float = 0.1, factor: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (class 1, radius ``factor``) inside a large one (class 0, radius 1), plus noise.

    Returns ``X (m, 2)``, ``Y (m, 1)`` of 0.0/1.0.
    """
    m = _m(m)
    rng = _check.generator("rng", rng)
    noise = _noise(noise)
    factor = _check.number("factor", factor)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be in (0, 1), got {factor}")
    m0 = m // 2
    m1 = m - m0
    t = rng.uniform(0.0, 2 * np.pi, size=m)
    r = np.concatenate([np.ones(m0), np.full(m1, factor)])
    X = np.column_stack([r * np.cos(t), r * np.sin(t)]) + noise * rng.standard_normal((m, 2))
    Y = np.concatenate([np.zeros(m0), np.ones(m1)])[:, None]
    perm = rng.permutation(m)
    return X[perm], Y[perm]


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    """Integer labels ``(m,)`` in ``0..k-1`` as a one-hot float64 matrix ``(m, k)``."""
    labels = np.asarray(labels)
    k = _check.integer("k", k, minimum=2)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a 1-D integer array, got {labels.dtype} {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels must be in 0..{k - 1}")
    out = np.zeros((labels.size, k))
    out[np.arange(labels.size), labels] = 1.0
    return out


def spirals(
    m: int, rng: np.random.Generator, *, classes: int = 2, noise: float = 0.2, turns: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (CS231n's spiral data), radius 0..1.

    Point ``i`` of arm ``c``: ``r = i/n``, angle ``θ = 2π·turns·r + 2πc/classes + noise·N(0, 1)``.
    Returns ``X (m, 2)`` and ``Y``: ``(m, 1)`` of 0.0/1.0 for two classes, one-hot ``(m, classes)``
    otherwise.
    """
    m = _m(m)
    rng = _check.generator("rng", rng)
    noise = _noise(noise)
    classes = _check.integer("classes", classes, minimum=2)
    turns = _check.positive("turns", turns)
    labels = np.arange(m) % classes
    counts = np.bincount(labels, minlength=classes)
    rank = np.zeros(m)
    for c in range(classes):
        idx = np.flatnonzero(labels == c)
        rank[idx] = np.arange(idx.size) / max(1, counts[c])
    theta = 2 * np.pi * turns * rank + 2 * np.pi * labels / classes + noise * rng.standard_normal(m)
    r = rank + 0.05
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    perm = rng.permutation(m)
    X, labels = X[perm], labels[perm]
    if classes == 2:
        return X, labels[:, None].astype(np.float64)
    return X, one_hot(labels, classes)


def overfit_set(
    m: int,
    rng: np.random.Generator,
    *,
    n_features: int = 20,
    n_informative: int = 3,
    noise: float = 0.5,
    classification: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """High-dimensional data that a large model overfits when ``m`` is small.

    ``X ~ N(0, 1)`` of shape ``(m, n_features)``; only the first ``n_informative`` features matter:
    ``y = X[:, :n_informative] @ w_true + noise·N(0, 1)`` with ``w_true`` = ``1, -1, 1, ...``
    scaled by ``1/√n_informative`` (so ``y`` has variance ``1 + noise²``). With
    ``classification=True`` the label is ``1.0 if y > 0 else 0.0`` (the noise flips some labels).
    Returns ``X``, ``Y (m, 1)``.
    """
    m = _m(m)
    rng = _check.generator("rng", rng)
    n_features = _check.integer("n_features", n_features, minimum=1)
    n_informative = _check.integer("n_informative", n_informative, minimum=1)
    if n_informative > n_features:
        raise ValueError(f"n_informative must be <= n_features ({n_features}), got {n_informative}")
    noise = _noise(noise)
    w_true = np.where(np.arange(n_informative) % 2 == 0, 1.0, -1.0) / np.sqrt(n_informative)
    X = rng.standard_normal((m, n_features))
    y = X[:, :n_informative] @ w_true + noise * rng.standard_normal(m)
    if classification:
        y = (y > 0).astype(np.float64)
    return X, y[:, None]


def correlated_groups(
    m: int,
    rng: np.random.Generator,
    *,
    groups: int = 2,
    group_size: int = 3,
    n_noise: int = 4,
    corr_noise: float = 0.1,
    noise: float = 0.3,
) -> tuple[np.ndarray, np.ndarray]:
    """Groups of near-copies of one latent feature, then pure-noise features.

    Latent ``z_g ~ N(0, 1)``; group ``g`` holds ``group_size`` columns ``z_g + corr_noise·N(0, 1)``;
    then ``n_noise`` independent ``N(0, 1)`` columns. ``y = Σ_g (-1)^g·z_g + noise·N(0, 1)``.
    L1 tends to keep one column per group, L2 spreads the weight over the group, Elastic Net does both
    (sparse across groups, shared within). Returns ``X (m, groups·group_size + n_noise)``, ``Y (m, 1)``.
    """
    m = _m(m)
    rng = _check.generator("rng", rng)
    groups = _check.integer("groups", groups, minimum=1)
    group_size = _check.integer("group_size", group_size, minimum=1)
    n_noise = _check.integer("n_noise", n_noise, minimum=0)
    corr_noise = _check.nonnegative("corr_noise", corr_noise)
    noise = _noise(noise)
    z = rng.standard_normal((m, groups))
    cols = np.repeat(z, group_size, axis=1) + corr_noise * rng.standard_normal((m, groups * group_size))
    X = np.hstack([cols, rng.standard_normal((m, n_noise))])
    signs = np.where(np.arange(groups) % 2 == 0, 1.0, -1.0)
    y = z @ signs + noise * rng.standard_normal(m)
    return X, y[:, None]


def standardize(X: np.ndarray, X_ref: np.ndarray | None = None) -> np.ndarray:
    """``(X - mean)/std`` per column, with the mean and std of ``X_ref`` (default ``X``)."""
    X = _check.array("X", X)
    ref = X if X_ref is None else _check.array("X_ref", X_ref)
    if X.ndim != 2 or ref.ndim != 2 or ref.shape[1] != X.shape[1]:
        raise ValueError(f"X and X_ref must be 2-D with the same columns, got {X.shape} and {ref.shape}")
    mu = ref.mean(axis=0)
    sd = ref.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return (X - mu) / sd


def train_val_split(
    X: np.ndarray, Y: np.ndarray, val_fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle with ``perm = rng.permutation(m)``; the last ``round(val_fraction·m)`` go to validation.

    Returns ``(X_train, Y_train, X_val, Y_val)``. Valid: ``0 < val_fraction < 1`` and both parts
    non-empty.
    """
    X = _check.array("X", X)
    Y = _check.array("Y", Y)
    if X.ndim < 1 or Y.ndim < 1 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"X and Y must have the same number of rows, got {X.shape} and {Y.shape}")
    val_fraction = _check.number("val_fraction", val_fraction)
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    rng = _check.generator("rng", rng)
    m = X.shape[0]
    n_val = int(round(val_fraction * m))
    if n_val < 1 or n_val > m - 1:
        raise ValueError(f"val_fraction={val_fraction} of m={m} leaves an empty part")
    perm = rng.permutation(m)
    tr, va = perm[: m - n_val], perm[m - n_val :]
    return X[tr], Y[tr], X[va], Y[va]


@dataclass(frozen=True, eq=False)
class Objective:
    """A 2-D test function for optimizer paths: ``value(w)`` and ``grad(w)``.

    ``w`` has shape ``(2,)`` or ``(..., 2)`` (vectorized, for contour grids); ``start`` is the usual
    starting point and ``minimum`` the minimizer (value 0 there).
    """

    name: str
    value: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    start: np.ndarray
    minimum: np.ndarray

    def __post_init__(self) -> None:
        for key in ("start", "minimum"):
            arr = np.array(getattr(self, key), dtype=np.float64)
            arr.setflags(write=False)
            object.__setattr__(self, key, arr)


def _point(w: np.ndarray) -> np.ndarray:
    w = _check.array("w", w)
    if w.ndim < 1 or w.shape[-1] != 2:
        raise ValueError(f"w must have shape (2,) or (..., 2), got {w.shape}")
    return w


def quadratic_bowl(condition: float = 10.0, *, angle: float = 0.0) -> Objective:
    """An ill-conditioned bowl ``f(w) = ½·(u₁²/condition + u₂²)`` with ``u = R(angle)ᵀ·w``.

    The Hessian's eigenvalues are ``1/condition`` (the long, shallow valley along ``u₁``) and ``1``
    (the steep walls along ``u₂``), so plain gradient descent is stable for ``lr < 2`` and needs about
    ``condition`` steps per e-fold along the valley. ``angle`` (radians) rotates the valley.
    Start ``(-4, 1)`` rotated likewise; minimum at the origin. Valid: ``condition >= 1``.
    """
    condition = _check.number("condition", condition)
    if condition < 1.0:
        raise ValueError(f"condition must be >= 1, got {condition}")
    angle = _check.number("angle", angle)
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    H = R @ np.diag([1.0 / condition, 1.0]) @ R.T

    def value(w: np.ndarray) -> np.ndarray:
        w = _point(w)
        return 0.5 * np.einsum("...i,ij,...j->...", w, H, w)

    def grad(w: np.ndarray) -> np.ndarray:
        w = _point(w)
        return w @ H

    start = R @ np.array([-4.0, 1.0])
    return Objective("quadratic_bowl", value, grad, start, np.zeros(2))


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    """Rosenbrock's banana valley ``f(x, y) = (a − x)² + b·(y − x²)²``, minimum at ``(a, a²)``.

    ``∂f/∂x = −2(a − x) − 4b·x·(y − x²)``, ``∂f/∂y = 2b·(y − x²)``. Start ``(−1.2, 1)``.
    Valid: ``b > 0``.
    """
    a = _check.number("a", a)
    b = _check.positive("b", b)

    def value(w: np.ndarray) -> np.ndarray:
        w = _point(w)
        x, y = w[..., 0], w[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(w: np.ndarray) -> np.ndarray:
        w = _point(w)
        x, y = w[..., 0], w[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)

    return Objective("rosenbrock", value, grad, np.array([-1.2, 1.0]), np.array([a, a * a]))


# the UCI optical digits (real data, shipped in tutor/core/datasets/): see tutor/core/digits.py
from .digits import DigitsSplit, digits, digits_split  # noqa: E402
