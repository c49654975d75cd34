# style: ML-From-Scratch RMSprop (Eg, eps inside the square root)
# diagnosis: eps-inside-sqrt
import numpy as np


class RMSprop:
    def __init__(self, learning_rate=0.01, rho=0.9, eps=1e-8):
        self.learning_rate = learning_rate
        self.Eg = None
        self.eps = eps
        self.rho = rho

    def update(self, w, grad_wrt_w):
        if self.Eg is None:
            self.Eg = np.zeros(np.shape(grad_wrt_w))
        self.Eg = self.rho * self.Eg + (1 - self.rho) * np.power(grad_wrt_w, 2)
        return w - self.learning_rate * grad_wrt_w / np.sqrt(self.Eg + self.eps)


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    opt = RMSprop(learning_rate=lr, rho=beta, eps=eps)
    opt.Eg = np.array(cache, dtype=float)
    return opt.update(w, dw), opt.Eg
