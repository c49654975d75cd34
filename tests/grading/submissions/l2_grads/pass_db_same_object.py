def l2_grads(grads, params, lambd, m):
    new = dict(grads)  # db arrays shared, not copied: they are unchanged
    for key in grads:
        if key.startswith("dW"):
            new[key] = grads[key] + lambd / m * params[key[1:]]
    return new
