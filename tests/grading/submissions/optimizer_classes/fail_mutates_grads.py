# expect: changed its input grads in place
import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for k in params:
            g = grads["d" + k]
            g *= self.lr
            params[k] = params[k] - g


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, {}

    def step(self, params, grads):
        for k in params:
            self.v[k] = self.beta * self.v.get(k, 0) + (1 - self.beta) * grads["d" + k]
            params[k] = params[k] - self.lr * self.v[k]


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
            params[k] = params[k] - self.lr * (self.v[k] / (1 - self.b1 ** self.t)) / (np.sqrt(self.s[k] / (1 - self.b2 ** self.t)) + self.eps)
