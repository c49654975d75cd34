# expect: timed out
import sys

sys.setrecursionlimit(10**6)


def momentum_update(w, dw, v, lr, beta=0.9):
    return momentum_update(w, dw, v, lr, beta)
