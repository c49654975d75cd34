# diagnosis: no-sqrt
def adagrad_update(w, dw, cache, lr, eps=1e-8):
    cache = cache + dw ** 2
    return w - lr * dw / (cache + eps), cache
