# diagnosis: mutates-grads
def l2_grads(grads, params, lambd, m):
    # rebinding keys of the caller's dict (the arrays are new, the dict is not)
    for key in list(grads):
        if key.startswith("dW"):
            grads[key] = grads[key] + lambd / m * params[key[1:]]
    return grads
