# style: numpy-ml optimizers (Adam with mean/var cache and its own t)
import numpy as np


class Adam:
    def __init__(self, lr=0.001, decay1=0.9, decay2=0.999, eps=1e-7):
        self.hyperparameters = {"lr": lr, "decay1": decay1, "decay2": decay2, "eps": eps}
        self.cache = {}

    def update(self, param, param_grad, param_name):
        C, H = self.cache, self.hyperparameters
        d1, d2, eps, lr = H["decay1"], H["decay2"], H["eps"], H["lr"]
        t = C[param_name]["t"] + 1
        var = C[param_name]["var"]
        mean = C[param_name]["mean"]
        C[param_name]["t"] = t
        C[param_name]["var"] = d2 * var + (1 - d2) * param_grad ** 2
        C[param_name]["mean"] = d1 * mean + (1 - d1) * param_grad
        v_hat = C[param_name]["var"] / (1 - d2 ** t)
        m_hat = C[param_name]["mean"] / (1 - d1 ** t)
        update = lr * m_hat / (np.sqrt(v_hat) + eps)
        return param - update


def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    opt = Adam(lr=lr, decay1=beta1, decay2=beta2, eps=eps)
    opt.cache["w"] = {"t": t - 1, "mean": v, "var": s}
    w_new = opt.update(w, dw, "w")
    return w_new, opt.cache["w"]["mean"], opt.cache["w"]["var"]
