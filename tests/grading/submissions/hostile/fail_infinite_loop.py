# expect: timed out after 1 s
def momentum_update(w, dw, v, lr, beta=0.9):
    while True:
        pass
