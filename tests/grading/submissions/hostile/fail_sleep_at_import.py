# expect: timed out after 1 s while loading your file
import time

time.sleep(3600)


def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * dw
    return w - lr * v_new, v_new
