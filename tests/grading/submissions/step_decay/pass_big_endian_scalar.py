import numpy as np


def step_decay(lr0, epoch, drop, epochs_per_drop):
    return np.array(lr0 * drop ** (epoch // epochs_per_drop), dtype=">f8")[()]
