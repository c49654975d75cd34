# style: a penalty written with np.linalg.norm (the Frobenius norm, not squared)
# diagnosis: norm-not-squared
import numpy as np


def l2_cost(params, lambd, m):
    return float(lambd / (2 * m) * sum(np.linalg.norm(params[k]) for k in params if k[0] == "W"))
