# style: ML-From-Scratch Adam (bias correction without the power t)
# diagnosis: correction-without-t
import numpy as np


class Adam:
    def __init__(self, learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-8):
        self.learning_rate = learning_rate
        self.eps = eps
        self.m = None
        self.v = None
        self.b1 = b1
        self.b2 = b2

    def update(self, w, grad_wrt_w):
        if self.m is None:
            self.m = np.zeros(np.shape(grad_wrt_w))
            self.v = np.zeros(np.shape(grad_wrt_w))
        self.m = self.b1 * self.m + (1 - self.b1) * grad_wrt_w
        self.v = self.b2 * self.v + (1 - self.b2) * np.power(grad_wrt_w, 2)
        m_hat = self.m / (1 - self.b1)
        v_hat = self.v / (1 - self.b2)
        self.w_updt = self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)
        return w - self.w_updt


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    opt = Adam(learning_rate=lr, b1=beta1, b2=beta2, eps=eps)
    opt.m, opt.v = np.array(v, dtype=float), np.array(s, dtype=float)
    return opt.update(w, dw), opt.m, opt.v
