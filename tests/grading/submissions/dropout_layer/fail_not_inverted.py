# diagnosis: no-scaling
class Dropout:
    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        if not training:
            return A
        self.mask = (rng.random(A.shape) < self.keep_prob).astype(float)
        return A * self.mask

    def backward(self, dA):
        return dA * self.mask
