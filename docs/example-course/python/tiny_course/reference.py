"""The reference: the grader compares the learner's output with this."""

from __future__ import annotations

import numpy as np


def ewa(xs: np.ndarray, beta: float) -> np.ndarray:
    """``v_t = β·v_(t−1) + (1 − β)·x_t`` with ``v_0 = 0``; returns ``[v_1, …, v_n]``."""
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 1:
        raise ValueError(f"xs must be 1-D, got shape {xs.shape}")
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta}")
    out = np.empty_like(xs)
    v = 0.0
    for i, x in enumerate(xs):
        v = beta * v + (1.0 - beta) * x
        out[i] = v
    return out
