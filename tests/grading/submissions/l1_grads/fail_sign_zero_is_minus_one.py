import numpy as np


def l1_grads(grads, params, lambd, m):
    return {k: (g + (lambd / m) * np.where(params[k[1:]] > 0, 1.0, -1.0) if k.startswith("dW") else g) for k, g in grads.items()}
