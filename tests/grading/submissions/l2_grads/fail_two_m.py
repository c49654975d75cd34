# diagnosis: half-factor
def l2_grads(grads, params, lambd, m):
    return {k: (g + lambd / (2 * m) * params[k[1:]] if k.startswith("dW") else g) for k, g in grads.items()}
