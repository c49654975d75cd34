import math


def exponential_decay(lr0, epoch, k):
    return lr0 * math.e ** (-k * epoch)
