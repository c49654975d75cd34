# diagnosis: biases-regularized
def l2_grads(grads, params, lambd, m):
    return {k: g + lambd / m * params[k[1:]] for k, g in grads.items()}
