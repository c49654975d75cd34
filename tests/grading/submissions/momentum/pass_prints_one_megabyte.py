import time

_t0 = time.perf_counter()
print("x" * 1_000_000)  # one big debug dump at import


def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * dw
    return w - lr * v_new, v_new
