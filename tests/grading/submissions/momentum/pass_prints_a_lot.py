import sys


def momentum_update(w, dw, v, lr, beta=0.9):
    for i in range(50):
        print("debug", i, w, dw)
    print("to stderr too", file=sys.stderr)
    v_new = beta * v + (1 - beta) * dw
    print("result", w - lr * v_new, v_new)
    return w - lr * v_new, v_new
