"""The UCI optical digits shipped with tutor (``datasets/digits.npz``, CC BY 4.0).

E. Alpaydin and C. Kaynak (1998), *Optical Recognition of Handwritten Digits*, UCI Machine
Learning Repository (the 1,797 images of its test set, as copied in scikit-learn). See
``datasets/README.md`` for the source and the licence.

``digits()`` gives ``X`` (1797, 64) float64 in [0, 1] — each 8×8 image flattened row by row, the
pixel counts 0..16 divided by 16 — and ``y`` (1797,) int64 digits 0..9. ``digits_split(seed)``
shuffles them with ``rng.permutation`` and cuts them into train / validation / test parts
(1,257 / 270 / 270 by default).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

N_EXAMPLES = 1797
N_PIXELS = 64
N_CLASSES = 10
ATTRIBUTION = (
    "UCI optical digits: E. Alpaydin & C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0"
)


@lru_cache(maxsize=1)
def _raw() -> tuple[np.ndarray, np.ndarray]:
    """``(images (1797, 8, 8) uint8, labels (1797,) uint8)`` read once from the package."""
    with resources.files("tutor.core").joinpath("datasets/digits.npz").open("rb") as f:
        with np.load(f, allow_pickle=False) as npz:
            images, labels = npz["images"], npz["labels"]
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def digits() -> tuple[np.ndarray, np.ndarray]:
    """``X = images.reshape(1797, 64) / 16`` (float64, in [0, 1]) and ``y`` (int64, 0..9); new arrays."""
    images, labels = _raw()
    X = images.reshape(N_EXAMPLES, N_PIXELS).astype(np.float64) / 16.0
    return X, labels.astype(np.int64)


class DigitsSplit(NamedTuple):
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def digits_split(seed: int = 0, *, n_val: int = 270, n_test: int = 270) -> DigitsSplit:
    """``perm = default_rng(seed).permutation(1797)``; the first ``n_test`` shuffled examples are the
    test set, the next ``n_val`` the validation set, the rest (1,257 by default) the training set."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    for name, n in (("n_val", n_val), ("n_test", n_test)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive integer, got {n!r}")
    if n_val + n_test > N_EXAMPLES - 10:
        raise ValueError(f"n_val + n_test must leave at least 10 training examples, got {n_val + n_test}")
    X, y = digits()
    perm = np.random.default_rng(int(seed)).permutation(N_EXAMPLES)
    test, val, train = perm[:n_test], perm[n_test : n_test + n_val], perm[n_test + n_val :]
    return DigitsSplit(X[train], y[train], X[val], y[val], X[test], y[test])
