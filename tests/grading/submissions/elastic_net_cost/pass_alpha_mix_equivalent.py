import numpy as np


def elastic_net_cost(params, lambd1, lambd2, m):
    # sklearn-style mixing: lam*r = lambd1 and lam*(1-r) = lambd2, so algebraically the contract formula
    Ws = [W for k, W in params.items() if k.startswith("W")]
    lam = lambd1 + lambd2
    r = lambd1 / lam if lam else 0.0
    return lam / m * (r * sum(np.abs(W).sum() for W in Ws) + (1 - r) / 2 * sum((W ** 2).sum() for W in Ws))
