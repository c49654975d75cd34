# expect: NameError
def momentum_update(w, dw, v, lr, beta=0.9):
    return helper(w)  # NameError
