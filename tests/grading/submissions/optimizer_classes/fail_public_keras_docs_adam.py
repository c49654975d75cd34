# style: an Adam class following the TensorFlow/Keras documentation (lr_t, epsilon on the raw root)
# diagnosis: adam-eps-hat
import numpy as np


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads["d" + k]


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, {}

    def step(self, params, grads):
        for k in params:
            self.v[k] = self.beta * self.v.get(k, 0) + (1 - self.beta) * grads["d" + k]
            params[k] = params[k] - self.lr * self.v[k]


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta_1, self.beta_2, self.epsilon = lr, beta1, beta2, eps
        self.m, self.v, self.iterations = {}, {}, 0

    def step(self, params, grads):
        self.iterations += 1
        t = self.iterations
        lr_t = self.lr * np.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        for k in params:
            g = grads["d" + k]
            self.m[k] = self.beta_1 * self.m.get(k, 0) + (1 - self.beta_1) * g
            self.v[k] = self.beta_2 * self.v.get(k, 0) + (1 - self.beta_2) * g * g
            params[k] = params[k] - lr_t * self.m[k] / (np.sqrt(self.v[k]) + self.epsilon)
