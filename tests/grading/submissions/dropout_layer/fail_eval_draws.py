# diagnosis: draws-in-test-mode
class Dropout:
    def __init__(self, keep_prob):
        self.keep_prob = keep_prob
        self.mask = None

    def forward(self, A, rng, training=True):
        mask = (rng.random(A.shape) < self.keep_prob) / self.keep_prob  # drawn even in eval mode
        if not training:
            return A
        self.mask = mask
        return A * mask

    def backward(self, dA):
        return dA * self.mask
