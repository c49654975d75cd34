"""Shuffled mini-batches."""

from __future__ import annotations

import numpy as np

from . import _check

__all__ = ["make_minibatches"]


def make_minibatches(
    X: np.ndarray, Y: np.ndarray, batch_size: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffle the examples (axis 0) once and cut them into consecutive batches.

    ``perm = rng.permutation(m)`` (one call); ``X[perm]`` and ``Y[perm]`` are sliced
    ``[0:batch_size], [batch_size:2*batch_size], ...``; the last batch keeps the remainder, so no
    batch is empty. Returns a list of ``(X_batch, Y_batch)`` (new arrays, dtypes kept).

    Valid: ``X`` and ``Y`` have at least one dimension and the same number ``m >= 1`` of rows,
    ``batch_size >= 1`` (larger than ``m`` gives one batch).
    """
    X = np.asarray(X)
    Y = np.asarray(Y)
    if X.ndim < 1:
        raise ValueError("X must have the examples along axis 0, got a scalar")
    if Y.ndim < 1:
        raise ValueError("Y must have the examples along axis 0, got a scalar")
    m = X.shape[0]
    if m < 1:
        raise ValueError("X must hold at least one example (shape[0] >= 1), got 0")
    if Y.shape[0] != m:
        raise ValueError(f"Y must have len(Y) == m == {m} rows like X, got {Y.shape[0]}")
    batch_size = _check.integer("batch_size", batch_size, minimum=1)
    rng = _check.generator("rng", rng)
    perm = rng.permutation(m)
    X_shuffled = X[perm]
    Y_shuffled = Y[perm]
    return [
        (X_shuffled[k : k + batch_size], Y_shuffled[k : k + batch_size])
        for k in range(0, m, batch_size)
    ]
