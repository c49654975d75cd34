# style: numpy-ml DropoutWrapper (mask = rand < 1 - p, scaled by 1 / (1 - p); trainable flag)
import numpy as np


class Dropout:
    def __init__(self, keep_prob):
        self.p = 1.0 - keep_prob
        self._dropout_mask = None
        self.trainable = True

    def forward(self, A, rng, training=True):
        self.trainable = training
        if not self.trainable:
            return A
        scaler = 1.0 / (1.0 - self.p)
        self._dropout_mask = (rng.random(A.shape) < (1 - self.p)) * scaler
        return A * self._dropout_mask

    def backward(self, dA):
        return dA * self._dropout_mask
