# diagnosis: swapped-weights
def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = (1 - beta) * v + beta * dw
    return w - lr * v_new, v_new
