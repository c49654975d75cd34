def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    cache_new = cache + (1 - beta) * (dw * dw - cache)
    return (w - lr * dw / (cache_new ** 0.5 + eps), cache_new)
