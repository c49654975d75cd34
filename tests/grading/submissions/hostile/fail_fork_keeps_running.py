import os
import time

if os.fork() == 0:
    while True:
        time.sleep(0.1)


def momentum_update(w, dw, v, lr, beta=0.9):
    return w, v
