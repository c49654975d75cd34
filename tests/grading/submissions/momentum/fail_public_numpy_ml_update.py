# style: numpy-ml optimizers (SGD with momentum: cache holds the previous update)
# diagnosis: other-form
import numpy as np


class SGD:
    def __init__(self, lr=0.01, momentum=0.0):
        self.hyperparameters = {"lr": lr, "momentum": momentum}
        self.cache = {}

    def update(self, param, param_grad, param_name):
        C = self.cache
        H = self.hyperparameters
        if param_name not in C:
            C[param_name] = np.zeros_like(param_grad)
        update = H["momentum"] * C[param_name] - H["lr"] * param_grad
        self.cache[param_name] = update
        return param + update


def momentum_update(w, dw, v, lr, beta=0.9):
    opt = SGD(lr=lr, momentum=beta)
    opt.cache["w"] = v
    return opt.update(w, dw, "w"), opt.cache["w"]
