# style: a DropConnect layer from a blog post (mask the weights, keep the bias)
import numpy as np


class DropConnectDense:
    def __init__(self, W, b, keep_prob):
        self.W, self.b, self.keep_prob = W, b, keep_prob

    def forward(self, X, rng):
        self.M = (rng.random(self.W.shape) < self.keep_prob) / self.keep_prob
        return np.dot(X, self.W * self.M) + self.b


def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    layer = DropConnectDense(W, b, keep_prob)
    Z = layer.forward(A_prev, rng)
    return Z, layer.M
