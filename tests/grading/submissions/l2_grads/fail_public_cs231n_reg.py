# style: CS231n two-layer-net gradients (grads['W1'] += 2 * reg * W1), reg = lambd
# diagnosis: cs231n-convention
import numpy as np


def l2_grads(grads, params, lambd, m):
    reg = lambd
    out = {k: v.copy() for k, v in grads.items()}
    for name, W in params.items():
        if name.startswith("W"):
            out["d" + name] += 2 * reg * W
    return out
