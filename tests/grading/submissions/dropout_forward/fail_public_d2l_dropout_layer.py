# style: d2l.ai dropout_layer (mask = rand > dropout; X * mask / (1 - dropout)), dropout = 1 - keep_prob
# diagnosis: complement-comparison
import numpy as np


def dropout_layer(X, dropout, rng):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return np.zeros_like(X), np.zeros_like(X)
    mask = (rng.random(X.shape) > dropout).astype(np.float64)
    return mask * X / (1.0 - dropout), mask / (1.0 - dropout)


def dropout_forward(A, keep_prob, rng):
    return dropout_layer(A, 1 - keep_prob, rng)
