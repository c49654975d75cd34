# diagnosis: half-factor
import numpy as np


def l1_cost(params, lambd, m):
    return (lambd / (2 * m)) * sum(np.sum(np.abs(W)) for k, W in params.items() if k.startswith("W"))
