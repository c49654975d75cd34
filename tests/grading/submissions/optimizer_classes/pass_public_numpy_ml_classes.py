# style: numpy-ml optimizer objects (cache per parameter name), driven by step(params, grads)
import numpy as np


class _Optimizer:
    def __init__(self, **hyperparameters):
        self.hyperparameters = hyperparameters
        self.cache = {}
        self.cur_step = 0

    def step(self, params, grads):
        self.cur_step += 1
        for name in list(params):
            params[name] = self.update(params[name], grads["d" + name], name)


class SGD(_Optimizer):
    def __init__(self, lr):
        super().__init__(lr=lr)

    def update(self, param, param_grad, param_name):
        return param - self.hyperparameters["lr"] * param_grad


class Momentum(_Optimizer):
    def __init__(self, lr, beta=0.9):
        super().__init__(lr=lr, momentum=beta)

    def update(self, param, param_grad, param_name):
        H = self.hyperparameters
        prev = self.cache.get(param_name, np.zeros_like(param_grad))
        v = H["momentum"] * prev + (1 - H["momentum"]) * param_grad
        self.cache[param_name] = v
        return param - H["lr"] * v


class Adam(_Optimizer):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr=lr, decay1=beta1, decay2=beta2, eps=eps)

    def update(self, param, param_grad, param_name):
        H, t = self.hyperparameters, self.cur_step
        C = self.cache.setdefault(param_name, {"mean": np.zeros_like(param_grad), "var": np.zeros_like(param_grad)})
        C["mean"] = H["decay1"] * C["mean"] + (1 - H["decay1"]) * param_grad
        C["var"] = H["decay2"] * C["var"] + (1 - H["decay2"]) * param_grad ** 2
        m_hat = C["mean"] / (1 - H["decay1"] ** t)
        v_hat = C["var"] / (1 - H["decay2"] ** t)
        return param - H["lr"] * m_hat / (np.sqrt(v_hat) + H["eps"])
