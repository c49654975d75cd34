import numpy as np


def l2_cost(params, lambd, m):
    return float(lambd / (2 * m) * sum(np.linalg.norm(W) for k, W in params.items() if k.startswith("W")))
