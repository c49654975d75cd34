"""Cases and known mistakes of ``minibatches`` (lesson 7.1).

``make_minibatches(X, Y, batch_size, rng)``: one ``rng.permutation(m)``, the same permutation for
``X`` and ``Y``, consecutive slices, the last batch keeps the remainder. Both sides receive an
identically seeded generator (``Rng`` marker), so a learner who follows the stated call draws the
reference's numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.grading.cases import call_case, normal, rng_marker


def _data(rng: np.random.Generator, m: int, n: int, y_shape: str) -> tuple[np.ndarray, np.ndarray]:
    X = normal(rng, (m, n))
    if y_shape == "1d":
        Y = rng.integers(0, 3, size=m).astype(np.float64)
    elif y_shape == "2d":
        Y = normal(rng, (m, 2))
    else:  # one-hot rows
        Y = np.eye(3)[rng.integers(0, 3, size=m)]
    return X, Y


def minibatches_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    cases = []

    def add(name: str, m: int, n: int, batch_size: int, y_shape: str = "2d", X: np.ndarray | None = None) -> None:
        Xd, Yd = _data(rng, m, n, y_shape)
        if X is not None:
            Xd = X
        cases.append(
            call_case(name, "make_minibatches", X=Xd, Y=Yd, batch_size=batch_size, rng=rng_marker(rng))
        )

    add("m = 10, batch_size = 3: a last batch of 1", 10, 2, 3)
    add("m = 8, batch_size = 4: divisible", 8, 3, 4, "1d")
    add("m = 7, batch_size = 5: a last batch of 2, Y one-hot", 7, 2, 5, "onehot")
    add("batch_size = 1 (stochastic)", 5, 2, 1, "1d")
    add("batch_size > m: one batch", 6, 3, 64)
    add("batch_size = m: one batch", 6, 2, 6, "1d")
    # X of rank 3 (e.g. sequences): examples are still along axis 0
    X3 = normal(rng, (9, 2, 3))
    add("X with 3 axes, m = 9, batch_size = 4", 9, 1, 4, "2d", X=X3)
    for i in range(9):
        m = int(rng.integers(2, 41))
        n = int(rng.integers(1, 5))
        batch_size = int(rng.integers(1, m + 3))
        if rng.random() < 0.5 and m > 3:  # make it not divide m more often than chance
            batch_size = int(rng.integers(2, m))
            if m % batch_size == 0:
                batch_size += 1
        y_shape = ("1d", "2d", "onehot")[int(rng.integers(3))]
        add(f"random {i + 1}: m = {m}, batch_size = {batch_size}", m, n, batch_size, y_shape)
    return cases


# --------------------------------------------------------------------------- mistakes


def minibatches_two_permutations(X, Y, batch_size, rng):
    """X and Y shuffled with two different permutations (the pairs no longer match)."""
    m = X.shape[0]
    Xs = X[rng.permutation(m)]
    Ys = Y[rng.permutation(m)]
    return [(Xs[k : k + batch_size], Ys[k : k + batch_size]) for k in range(0, m, batch_size)]


def minibatches_drop_remainder(X, Y, batch_size, rng):
    """Only ``m // batch_size`` full batches: the last, smaller batch is dropped."""
    m = X.shape[0]
    perm = rng.permutation(m)
    Xs, Ys = X[perm], Y[perm]
    n_full = m // batch_size
    return [(Xs[k * batch_size : (k + 1) * batch_size], Ys[k * batch_size : (k + 1) * batch_size]) for k in range(n_full)]


def minibatches_no_shuffle(X, Y, batch_size, rng):
    """Consecutive slices of the data in its original order (no shuffle)."""
    m = X.shape[0]
    return [(X[k : k + batch_size], Y[k : k + batch_size]) for k in range(0, m, batch_size)]


def minibatches_with_replacement(X, Y, batch_size, rng):
    """Indices drawn with replacement (``rng.integers``/``rng.choice``): some examples repeat, others vanish."""
    m = X.shape[0]
    idx = rng.integers(0, m, size=m)
    Xs, Ys = X[idx], Y[idx]
    return [(Xs[k : k + batch_size], Ys[k : k + batch_size]) for k in range(0, m, batch_size)]


def minibatches_array_split_balanced(X, Y, batch_size, rng):
    """``np.array_split`` into ``ceil(m / batch_size)`` parts: balanced sizes, not full batches then the remainder."""
    m = X.shape[0]
    perm = rng.permutation(m)
    k = -(-m // batch_size)
    return list(zip(np.array_split(X[perm], k), np.array_split(Y[perm], k)))


def minibatches_empty_last(X, Y, batch_size, rng):
    """``m // batch_size + 1`` batches: an empty batch at the end when batch_size divides m."""
    m = X.shape[0]
    perm = rng.permutation(m)
    Xs, Ys = X[perm], Y[perm]
    n = m // batch_size + 1
    return [(Xs[k * batch_size : (k + 1) * batch_size], Ys[k * batch_size : (k + 1) * batch_size]) for k in range(n)]
