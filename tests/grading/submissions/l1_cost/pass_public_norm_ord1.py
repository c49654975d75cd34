# style: the L1 norm of the flattened weights (np.linalg.norm(ord=1) on ravel)
import numpy as np


def l1_cost(params, lambd, m):
    return float(lambd / m * sum(np.linalg.norm(W.ravel(), ord=1) for k, W in params.items() if k.startswith("W")))
