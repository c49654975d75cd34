# diagnosis: without-half
import numpy as np


def l2_cost(params, lambd, m):
    return float(lambd / m * sum(np.sum(W ** 2) for k, W in params.items() if k.startswith("W")))
