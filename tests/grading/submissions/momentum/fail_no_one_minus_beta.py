# diagnosis: forgot-one-minus-beta
def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = beta * v + dw
    return w - lr * v_new, v_new
