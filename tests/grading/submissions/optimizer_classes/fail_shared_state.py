import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads["d" + k]


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, 0.0

    def step(self, params, grads):
        # one velocity shared by every parameter (works only when shapes broadcast)
        for k in params:
            g = grads["d" + k]
            v = self.v if np.shape(self.v) == g.shape else np.zeros_like(g)
            self.v = self.beta * v + (1 - self.beta) * g
            params[k] = params[k] - self.lr * self.v


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for k in params:
            g = grads["d" + k]
            self.v[k] = self.b1 * self.v.get(k, 0) + (1 - self.b1) * g
            self.s[k] = self.b2 * self.s.get(k, 0) + (1 - self.b2) * g ** 2
            vh = self.v[k] / (1 - self.b1 ** self.t)
            sh = self.s[k] / (1 - self.b2 ** self.t)
            params[k] = params[k] - self.lr * vh / (np.sqrt(sh) + self.eps)
