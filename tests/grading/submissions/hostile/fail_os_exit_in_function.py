# expect: ended the process
import os


def momentum_update(w, dw, v, lr, beta=0.9):
    os._exit(0)
