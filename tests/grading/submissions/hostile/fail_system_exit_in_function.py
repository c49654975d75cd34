# expect: SystemExit
def momentum_update(w, dw, v, lr, beta=0.9):
    raise SystemExit(0)
