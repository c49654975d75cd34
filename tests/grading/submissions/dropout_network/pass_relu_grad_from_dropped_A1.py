import numpy as np


class Dropout:
    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A
        self.mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask


def forward_backward(X, Y, params, keep_prob, rng, training=True):
    m = len(X)
    drop = Dropout(keep_prob)
    A1 = drop.forward(np.maximum(X @ params["W1"] + params["b1"], 0.0), rng, training)
    A2 = 1.0 / (1.0 + np.exp(-(A1 @ params["W2"] + params["b2"])))
    cost = float(-(Y * np.log(A2) + (1 - Y) * np.log1p(-A2)).sum() / m)
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ params["W2"].T
    if training:
        dA1 = drop.backward(dA1)
    dZ1 = dA1 * (A1 > 0)  # where the mask dropped a unit, dA1 is already 0
    return (cost, {"dW1": X.T @ dZ1, "db1": np.sum(dZ1, axis=0), "dW2": A1.T @ dZ2, "db2": np.sum(dZ2, axis=0)})
