import numpy as np


class SGD:
    """w <- w - lr*dw, in place."""

    def __init__(self, lr: float) -> None:
        self.lr = lr

    def _grad(self, grads, name):
        return grads["d" + name]

    def step(self, params, grads) -> None:
        for name, w in params.items():
            w -= self.lr * self._grad(grads, name)


class Momentum(SGD):
    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = beta
        self.state = {}

    def step(self, params, grads):
        for name, w in params.items():
            key = ("velocity", name)
            if key not in self.state:
                self.state[key] = np.zeros_like(w)
            v = self.state[key]
            v *= self.beta
            v += (1 - self.beta) * self._grad(grads, name)
            w -= self.lr * v
        return None


class Adam(SGD):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.moments = {}
        self.steps = 0

    def step(self, params, grads):
        self.steps += 1
        t = self.steps
        for name in sorted(params):
            w = params[name]
            m = self.moments.setdefault(name, [np.zeros_like(w), np.zeros_like(w)])
            g = self._grad(grads, name)
            m[0] = self.beta1 * m[0] + (1 - self.beta1) * g
            m[1] = self.beta2 * m[1] + (1 - self.beta2) * g * g
            w -= self.lr / (1 - self.beta1 ** t) * m[0] / (np.sqrt(m[1]) / np.sqrt(1 - self.beta2 ** t) + self.eps)
