# style: a Momentum class written the way torch.optim.SGD keeps its buffer (v = beta*v + g, dampening 0)
# diagnosis: momentum-forgot-one-minus-beta
import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads["d" + k]


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.momentum = lr, beta
        self.momentum_buffer = {}

    def step(self, params, grads):
        for k in params:
            d_p = grads["d" + k]
            buf = self.momentum_buffer.get(k)
            buf = np.zeros_like(d_p) if buf is None else buf
            buf = self.momentum * buf + d_p
            self.momentum_buffer[k] = buf
            params[k] = params[k] - self.lr * buf


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for k in params:
            g = grads["d" + k]
            self.m[k] = self.b1 * self.m.get(k, 0) + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v.get(k, 0) + (1 - self.b2) * g ** 2
            mh = self.m[k] / (1 - self.b1 ** self.t)
            vh = self.v[k] / (1 - self.b2 ** self.t)
            params[k] = params[k] - self.lr * mh / (np.sqrt(vh) + self.eps)
