# diagnosis: biases-penalized
import numpy as np


def l1_cost(params, lambd, m):
    return (lambd / m) * sum(np.sum(np.abs(p)) for p in params.values())
