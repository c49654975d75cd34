import numpy as np


def time_decay(lr0, epoch, decay_rate):
    denom = np.add(1.0, np.multiply(decay_rate, epoch))
    return np.array(lr0) * np.reciprocal(denom)
