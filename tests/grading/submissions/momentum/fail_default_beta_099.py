def momentum_update(w, dw, v, lr, beta=0.99):
    v_new = beta * v + (1 - beta) * dw
    return w - lr * v_new, v_new
