# style: numpy-ml optimizers (RMSProp, decay hyper-parameter)
import numpy as np


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    H = {"lr": lr, "decay": beta, "eps": eps}
    C = {"w": np.array(cache, dtype=float)}
    C["w"] = H["decay"] * C["w"] + (1 - H["decay"]) * dw ** 2
    update = H["lr"] * dw / (np.sqrt(C["w"]) + H["eps"])
    return w - update, C["w"]
