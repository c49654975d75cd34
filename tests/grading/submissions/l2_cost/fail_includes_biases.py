# diagnosis: biases-penalized
import numpy as np


def l2_cost(params, lambd, m):
    return float(lambd / (2 * m) * sum(np.sum(p ** 2) for p in params.values()))
