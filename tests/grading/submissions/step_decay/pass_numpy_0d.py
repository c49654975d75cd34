import numpy as np


def step_decay(lr0, epoch, drop, epochs_per_drop):
    return np.asarray(lr0 * np.power(drop, np.floor(np.divide(epoch, epochs_per_drop))))
