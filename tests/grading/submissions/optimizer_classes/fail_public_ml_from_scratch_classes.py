# style: ML-From-Scratch optimizers turned into step(params, grads) classes (its Adam corrects without t)
# diagnosis: adam-correction-without-t
import numpy as np


class SGD:
    def __init__(self, lr):
        self.learning_rate = lr

    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.learning_rate * grads["d" + k]


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.learning_rate, self.momentum, self.w_updt = lr, beta, {}

    def step(self, params, grads):
        for k in params:
            g = grads["d" + k]
            prev = self.w_updt.get(k, np.zeros(np.shape(g)))
            self.w_updt[k] = self.momentum * prev + (1 - self.momentum) * g
            params[k] = params[k] - self.learning_rate * self.w_updt[k]


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.learning_rate, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.m, self.v = {}, {}

    def step(self, params, grads):
        for k in params:
            g = grads["d" + k]
            if k not in self.m:
                self.m[k] = np.zeros(np.shape(g))
                self.v[k] = np.zeros(np.shape(g))
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * np.power(g, 2)
            m_hat = self.m[k] / (1 - self.b1)
            v_hat = self.v[k] / (1 - self.b2)
            params[k] = params[k] - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)
