def momentum_update(w, dw, v, lr, beta=0.9):
    v *= beta
    v += (1 - beta) * dw
    return w - lr * v, v.copy()
