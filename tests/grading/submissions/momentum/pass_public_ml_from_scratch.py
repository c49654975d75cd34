# style: ML-From-Scratch (optimizer object with w_updt), wrapped into a function
import numpy as np


class StochasticGradientDescent:
    def __init__(self, learning_rate=0.01, momentum=0):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.w_updt = None

    def update(self, w, grad_wrt_w):
        if self.w_updt is None:
            self.w_updt = np.zeros(np.shape(w))
        self.w_updt = self.momentum * self.w_updt + (1 - self.momentum) * grad_wrt_w
        return w - self.learning_rate * self.w_updt


def momentum_update(w, dw, v, lr, beta=0.9):
    opt = StochasticGradientDescent(learning_rate=lr, momentum=beta)
    opt.w_updt = np.array(v, dtype=float)
    w_new = opt.update(w, dw)
    return w_new, opt.w_updt
