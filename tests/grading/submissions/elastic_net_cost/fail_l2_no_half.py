# diagnosis: l2-without-half
import numpy as np


def elastic_net_cost(params, lambd1, lambd2, m):
    Ws = [W for k, W in params.items() if k.startswith("W")]
    return lambd1 / m * sum(np.abs(W).sum() for W in Ws) + lambd2 / m * sum((W ** 2).sum() for W in Ws)
