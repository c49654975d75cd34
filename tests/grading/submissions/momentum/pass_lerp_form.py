def momentum_update(w, dw, v, lr, beta=0.9):
    # v + (1-beta)*(dw - v)  == beta*v + (1-beta)*dw
    v_new = v + (1 - beta) * (dw - v)
    return w - lr * v_new, v_new
