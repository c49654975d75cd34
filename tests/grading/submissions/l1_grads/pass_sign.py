import numpy as np


def l1_grads(grads, params, lambd, m):
    return {k: (g + (lambd / m) * np.sign(params[k[1:]]) if k.startswith("dW") else g.copy()) for k, g in grads.items()}
