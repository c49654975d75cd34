# style: Coursera backward_propagation_with_dropout with the "dA1 / keep_prob" line forgotten
# diagnosis: backward-unscaled
import numpy as np


def forward_backward(X, Y, params, keep_prob, rng, training=True):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = np.dot(X, W1) + b1
    A1 = np.maximum(0, Z1)
    if training:
        D1 = (rng.random(A1.shape) < keep_prob).astype(int)
        A1 = A1 * D1 / keep_prob
    Z2 = np.dot(A1, W2) + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cost = -np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2))
    dZ2 = (A2 - Y) / m
    dW2 = np.dot(A1.T, dZ2)
    db2 = np.sum(dZ2, axis=0)
    dA1 = np.dot(dZ2, W2.T)
    if training:
        dA1 = dA1 * D1
    dZ1 = dA1 * (Z1 > 0)
    return float(cost), {"dW1": np.dot(X.T, dZ1), "db1": np.sum(dZ1, axis=0), "dW2": dW2, "db2": db2}
