from numpy import exp, float64


def exponential_decay(lr0, epoch, k):
    return float64(lr0) / exp(k * epoch)
