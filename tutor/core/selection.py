"""Model selection: early stopping, k-fold indices and small generic helpers around them.

The helpers (``cross_validate``, ``grid_search``, ``regularization_path``) take callables so they
work with any model: the caller decides how to fit and what to score (lower is better).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _check

__all__ = ["early_stopping", "kfold_indices", "cross_validate", "grid_search", "regularization_path"]


def early_stopping(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """Where early stopping keeps the best epoch and where it stops.

    Walk epochs ``e = 0, 1, ...``: first, if ``val_losses[e] < val_losses[best]`` then ``best = e``
    (a strictly lower loss improves; ``best`` starts at 0); then, if ``e - best == patience``, stop at
    ``e``. Returns ``(best, stop)``; ``stop = len(val_losses) - 1`` if it never triggers.

    Valid: ``patience >= 1``, at least one loss (a 1-D sequence of numbers).
    """
    losses = _check.array("val_losses", val_losses)
    if losses.ndim != 1 or losses.size < 1:
        raise ValueError(f"val_losses must be a 1-D sequence of at least one loss, got shape {losses.shape}")
    patience = _check.integer("patience", patience, minimum=1)
    best = 0
    for e in range(losses.size):
        if losses[e] < losses[best]:
            best = e
        if e - best == patience:
            return best, e
    return best, losses.size - 1


def kfold_indices(m: int, k: int, rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """k-fold split of ``range(m)``.

    ``perm = rng.permutation(m)``; ``folds = numpy.array_split(perm, k)``; returns ``k`` pairs
    ``(train_idx, val_idx)`` with ``val_idx = folds[i]`` and ``train_idx`` the other folds
    concatenated in order. Valid: ``2 <= k <= m``.
    """
    m = _check.integer("m", m, minimum=2)
    k = _check.integer("k", k, minimum=2)
    if k > m:
        raise ValueError(f"k must be in [2, m={m}], got {k}")
    rng = _check.generator("rng", rng)
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    return [
        (np.concatenate([folds[j] for j in range(k) if j != i]), folds[i].copy())
        for i in range(k)
    ]


def cross_validate(
    X: np.ndarray,
    Y: np.ndarray,
    k: int,
    rng: np.random.Generator,
    fit_score: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], float],
) -> np.ndarray:
    """k-fold cross-validation: the validation score of each fold.

    Splits with ``kfold_indices(len(X), k, rng)``, then for each fold calls
    ``fit_score(X_train, Y_train, X_val, Y_val)`` (fit a fresh model on the training part, return its
    validation loss). Returns the ``k`` scores as a float64 array (``.mean()`` is the CV estimate).
    """
    X = np.asarray(X)
    Y = np.asarray(Y)
    if X.ndim < 1 or Y.ndim < 1 or X.shape[0] != Y.shape[0]:
        raise ValueError(f"X and Y must have the same number of rows, got {X.shape} and {Y.shape}")
    if not callable(fit_score):
        raise ValueError("fit_score must be a callable fit_score(X_train, Y_train, X_val, Y_val) -> float")
    folds = kfold_indices(X.shape[0], k, rng)
    return np.array([float(fit_score(X[tr], Y[tr], X[va], Y[va])) for tr, va in folds])


def grid_search(values: Sequence[Any], score_fn: Callable[[Any], float]) -> tuple[Any, np.ndarray]:
    """Score every candidate (``score_fn(value)``, lower is better).

    Returns ``(best_value, scores)``; ties go to the first candidate. Use it for λ or keep_prob grids.
    """
    values = list(values)
    if not values:
        raise ValueError("values must hold at least one candidate")
    if not callable(score_fn):
        raise ValueError("score_fn must be a callable score_fn(value) -> float")
    scores = np.array([float(score_fn(v)) for v in values])
    if np.all(np.isnan(scores)):
        raise ValueError("score_fn returned NaN for every candidate")
    best = int(np.nanargmin(scores))
    return values[best], scores


def regularization_path(
    lambdas: Sequence[float], fit_fn: Callable[[float], np.ndarray]
) -> np.ndarray:
    """The weights as a function of λ: row ``i`` is ``fit_fn(lambdas[i])`` flattened.

    ``fit_fn(lambd)`` trains a model with that penalty and returns its weights. Returns a float64
    array of shape ``(len(lambdas), n_weights)``.
    """
    lambdas = [_check.nonnegative("lambdas[i]", x) for x in lambdas]
    if not lambdas:
        raise ValueError("lambdas must hold at least one value")
    if not callable(fit_fn):
        raise ValueError("fit_fn must be a callable fit_fn(lambd) -> weights")
    rows = [np.asarray(fit_fn(lam), dtype=np.float64).ravel() for lam in lambdas]
    if len({r.size for r in rows}) != 1:
        raise ValueError("fit_fn must return the same number of weights for every lambda")
    return np.stack(rows)
