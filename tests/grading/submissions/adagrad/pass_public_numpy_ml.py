# style: numpy-ml optimizers (AdaGrad with a cache dict)
import numpy as np


class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-7):
        self.hyperparameters = {"lr": lr, "eps": eps}
        self.cache = {}

    def update(self, param, param_grad, param_name):
        C = self.cache
        H = self.hyperparameters
        if param_name not in C:
            C[param_name] = np.zeros_like(param_grad)
        C[param_name] = C[param_name] + param_grad ** 2
        update = H["lr"] * param_grad / (np.sqrt(C[param_name]) + H["eps"])
        return param - update


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    opt = AdaGrad(lr=lr, eps=eps)
    opt.cache["w"] = np.array(cache, dtype=float)
    return opt.update(w, dw, "w"), opt.cache["w"]
