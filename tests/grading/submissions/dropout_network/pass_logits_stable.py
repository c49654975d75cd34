import numpy as np


def forward_backward(X, Y, params, keep_prob, rng, training=True):
    m = X.shape[0]
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.where(Z1 > 0, Z1, 0.0)
    mask = None
    if training:
        mask = (rng.random(A1.shape) < keep_prob) / keep_prob
        A1 = A1 * mask
    Z2 = A1 @ params["W2"] + params["b2"]
    # cross-entropy from the logits: log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0
    cost = np.mean(Y * np.logaddexp(0, -Z2) + (1 - Y) * np.logaddexp(0, Z2))
    A2 = 1 / (1 + np.exp(-Z2))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ params["W2"].T
    if mask is not None:
        dA1 *= mask
    dZ1 = dA1 * (Z1 > 0)
    return [cost, dict(dW1=X.T @ dZ1, db1=dZ1.sum(0), dW2=A1.T @ dZ2, db2=dZ2.sum(0))]
