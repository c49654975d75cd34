"""Known mistakes used by test_quantities.py only (resolved by dotted path, like an exercise's)."""

from __future__ import annotations

import numpy as np


class DropoutBackwardIgnoresMask:
    """Forward right; ``backward`` returns ``dA`` as it came (the mask ignored)."""

    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A.copy()
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA.copy()
