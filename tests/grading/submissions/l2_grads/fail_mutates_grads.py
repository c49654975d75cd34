# diagnosis: mutates-grads
def l2_grads(grads, params, lambd, m):
    for key in grads:
        if key.startswith("dW"):
            grads[key] += lambd / m * params[key[1:]]
    return grads
