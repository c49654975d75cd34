import numpy as np


def l2_cost(params, lambd, m):
    return float(lambd / (2 * m) * np.sum(params["W1"] ** 2))
