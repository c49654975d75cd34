import math


def step_decay(lr0, epoch, drop, epochs_per_drop):
    return lr0 * math.pow(drop, math.floor(epoch / epochs_per_drop))
