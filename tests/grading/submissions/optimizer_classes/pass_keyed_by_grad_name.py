import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for gname, g in grads.items():
            name = gname[1:]
            params[name] = params[name] - self.lr * g


class Momentum(SGD):
    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = beta
        self.v = {}

    def step(self, params, grads):
        for gname, g in grads.items():
            name = gname[1:]
            v = self.v.get(gname)
            if v is None:
                v = np.zeros(params[name].shape)
            v = self.beta * v + (1 - self.beta) * g
            self.v[gname] = v
            params[name] = params[name] - self.lr * v


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.state = {}
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        for gname, g in grads.items():
            name = gname[1:]
            v, s = self.state.get("v_" + name, 0.0), self.state.get("s_" + name, 0.0)
            v = self.beta1 * v + (1 - self.beta1) * g
            s = self.beta2 * s + (1 - self.beta2) * g * g
            self.state["v_" + name], self.state["s_" + name] = v, s
            params[name] -= self.lr * (v / (1 - self.beta1 ** self.t)) / (np.sqrt(s / (1 - self.beta2 ** self.t)) + self.eps)
