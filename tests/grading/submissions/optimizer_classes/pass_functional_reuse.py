import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    v = beta * v + (1 - beta) * dw
    return w - lr * v, v


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    return w - lr * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + eps), v, s


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for k in list(params.keys()):
            np.subtract(params[k], self.lr * grads[f"d{k}"], out=params[k])


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr = lr
        self.beta = beta
        self.velocity = None

    def step(self, params, grads):
        if self.velocity is None:
            self.velocity = {k: np.zeros(np.shape(p)) for k, p in params.items()}
        for k in params:
            params[k], self.velocity[k] = momentum_update(params[k], grads["d" + k], self.velocity[k], self.lr, beta=self.beta)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.hp = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        self.state = {}
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        for k, w in params.items():
            v, s = self.state.get(k, (0 * w, 0 * w))
            params[k], v, s = adam_update(w, grads["d" + k], v, s, self.t, **self.hp)
            self.state[k] = (v, s)
