# style: the original paper's dropout (Srivastava et al.): keep with probability p, multiply by p at test time
# diagnosis: classic-dropout
import numpy as np


class Dropout:
    def __init__(self, keep_prob):
        self.p = keep_prob
        self.r = None

    def forward(self, A, rng, training=True):
        if not training:
            return self.p * A
        self.r = (rng.random(A.shape) < self.p).astype(float)
        return self.r * A

    def backward(self, dA):
        return self.r * dA
