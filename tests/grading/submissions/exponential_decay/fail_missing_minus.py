# diagnosis: wrong-sign
import math


def exponential_decay(lr0, epoch, k):
    return lr0 * math.exp(k * epoch)
