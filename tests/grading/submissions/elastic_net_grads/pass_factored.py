import numpy


def elastic_net_grads(grads, params, lambd1, lambd2, m):
    return {k: (g + (lambd1 * numpy.sign(params[k[1:]]) + lambd2 * params[k[1:]]) / m) if k[:2] == "dW" else g
            for k, g in grads.items()}
