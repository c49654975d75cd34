from numpy import sqrt


def adagrad_update(w, dw, cache, lr, eps=1e-8):
    new_cache = cache + dw * dw
    denom = eps + sqrt(new_cache)
    return [w - (lr * dw) / denom, new_cache]
