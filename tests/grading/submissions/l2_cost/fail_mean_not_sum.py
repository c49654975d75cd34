import numpy as np


def l2_cost(params, lambd, m):
    return float(lambd / (2 * m) * sum(np.mean(W ** 2) for k, W in params.items() if k.startswith("W")))
