import numpy as np


def dropout_forward(A, keep_prob, rng):
    mask = (rng.random(A.shape) < keep_prob) / keep_prob
    return A * mask, mask


class Dropout:
    """Inverted dropout; eval mode is the identity."""

    def __init__(self, keep_prob: float) -> None:
        self.p = keep_prob
        self._cache = {}

    def forward(self, A, rng, training=True):
        if training:
            out, self._cache["mask"] = dropout_forward(A, self.p, rng)
            return out
        return A.copy()

    def backward(self, dA):
        return np.multiply(dA, self._cache["mask"])
