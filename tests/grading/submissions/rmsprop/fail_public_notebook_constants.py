# style: a notebook with the hyper-parameters as constants at the top
# diagnosis: hard-coded-hyperparameters
import numpy as np

DECAY = 0.9
EPSILON = 1e-8


def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    cache = DECAY * cache + (1 - DECAY) * dw * dw
    return w - lr * dw / (np.sqrt(cache) + EPSILON), cache
