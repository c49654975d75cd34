# diagnosis: no-abs
import numpy as np


def l1_cost(params, lambd, m):
    return (lambd / m) * sum(np.sum(W) for k, W in params.items() if k.startswith("W"))
