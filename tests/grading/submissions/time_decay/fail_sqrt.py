import math


def time_decay(lr0, epoch, decay_rate):
    return lr0 / math.sqrt(1 + decay_rate * epoch)
