# expect: not data
import numpy as np


class Liar(tuple):
    def __len__(self):
        return 2

    def __iter__(self):
        raise RuntimeError("gotcha")


def momentum_update(w, dw, v, lr, beta=0.9):
    return Liar((w, v, 1))
