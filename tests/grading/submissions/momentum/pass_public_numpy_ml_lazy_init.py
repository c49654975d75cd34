# style: numpy-ml-like (cache created lazily, hyper-parameters in a dict), in the course's averaged form
import numpy as np


def momentum_update(w, dw, v, lr, beta=0.9):
    H = {"lr": lr, "momentum": beta}
    C = {}
    C["w"] = np.zeros_like(dw) if v is None else v
    C["w"] = H["momentum"] * C["w"] + (1.0 - H["momentum"]) * dw
    return w - H["lr"] * C["w"], C["w"]
