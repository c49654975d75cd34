# style: ML-From-Scratch Dropout layer (p the drop probability, mask = uniform > p, X * (1 - p) at test)
# diagnosis: classic-dropout-drop-prob
import numpy as np


class Dropout:
    def __init__(self, keep_prob):
        self.p = 1 - keep_prob
        self._mask = None
        self.pass_through = True

    def forward(self, A, rng, training=True):
        c = (1 - self.p)
        if training:
            self._mask = rng.random(A.shape) > self.p
            c = self._mask
        return A * c

    def backward(self, dA):
        return dA * self._mask
