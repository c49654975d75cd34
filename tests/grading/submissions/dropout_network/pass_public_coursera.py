# style: Coursera forward_propagation_with_dropout / backward_propagation_with_dropout, 2 layers, rows as examples
import numpy as np


def forward_backward(X, Y, params, keep_prob, rng, training=True):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m = X.shape[0]
    Z1 = np.dot(X, W1) + b1
    A1 = np.maximum(0, Z1)
    if training:
        D1 = rng.random(A1.shape)
        D1 = (D1 < keep_prob).astype(int)
        A1 = A1 * D1
        A1 = A1 / keep_prob
    Z2 = np.dot(A1, W2) + b2
    A2 = 1 / (1 + np.exp(-Z2))
    logprobs = np.multiply(-np.log(A2), Y) + np.multiply(-np.log(1 - A2), 1 - Y)
    cost = 1.0 / m * np.nansum(logprobs)
    dZ2 = A2 - Y
    dW2 = 1.0 / m * np.dot(A1.T, dZ2)
    db2 = 1.0 / m * np.sum(dZ2, axis=0)
    dA1 = np.dot(dZ2, W2.T)
    if training:
        dA1 = dA1 * D1
        dA1 = dA1 / keep_prob
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1.0 / m * np.dot(X.T, dZ1)
    db1 = 1.0 / m * np.sum(dZ1, axis=0)
    return float(cost), {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
