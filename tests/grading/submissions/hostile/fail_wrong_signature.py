# expect: by keyword
def momentum_update(w, dw, v, lr):
    v_new = 0.9 * v + 0.1 * dw
    return w - lr * v_new, v_new
