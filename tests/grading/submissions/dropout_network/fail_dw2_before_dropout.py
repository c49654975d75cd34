# diagnosis: dW2-before-dropout
import numpy as np


def forward_backward(X, Y, params, keep_prob, rng, training=True):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    if training:
        mask = (rng.random(A1.shape) < keep_prob) / keep_prob
        A1d = A1 * mask
    else:
        A1d = A1
    Z2 = A1d @ W2 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    dZ2 = (A2 - Y) / m
    dW2 = A1.T @ dZ2
    db2 = dZ2.sum(axis=0)
    dA1 = dZ2 @ W2.T
    if training:
        dA1 = dA1 * mask
    dZ1 = dA1 * (Z1 > 0)
    return cost, {"dW1": X.T @ dZ1, "db1": dZ1.sum(axis=0), "dW2": dW2, "db2": db2}
