# diagnosis: one-based-epoch
import math


def step_decay(lr0, epoch, drop, epochs_per_drop):
    return lr0 * drop ** math.floor((epoch + 1) / epochs_per_drop)
