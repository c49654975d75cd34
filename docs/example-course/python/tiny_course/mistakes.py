"""Known mistakes: wrong implementations with the learner's signature, told apart by the cases."""

from __future__ import annotations

import numpy as np


def ewa_swapped(xs: np.ndarray, beta: float) -> np.ndarray:
    """``v_t = (1 − β)·v_(t−1) + β·x_t``: the two weights swapped."""
    out = []
    v = 0.0
    for x in np.asarray(xs, dtype=np.float64):
        v = (1.0 - beta) * v + beta * x
        out.append(v)
    return np.array(out)
