import numpy as np


def l2_grads(grads, params, lambd, m):
    out = {k: np.copy(v) for k, v in grads.items()}
    for name, W in params.items():
        if name.startswith("W"):
            out["d" + name] += lambd * W / m
    return out
