# style: an elastic net penalty with the 1/2 on both parts
# diagnosis: l1-half
import numpy as np


def elastic_net_cost(params, lambd1, lambd2, m):
    Ws = [v for k, v in params.items() if k.startswith("W")]
    return float(sum(lambd1 / (2 * m) * np.abs(W).sum() + lambd2 / (2 * m) * (W ** 2).sum() for W in Ws))
