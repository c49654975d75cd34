import math

import numpy as np


def l1_cost(params, lambd, m):
    return lambd * math.fsum(float(np.linalg.norm(W.ravel(), ord=1)) for k, W in params.items() if k[:1] == "W") / m
