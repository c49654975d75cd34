import numpy


def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    keep = rng.random(size=W.shape) < keep_prob
    mask = keep.astype(numpy.float64) / keep_prob
    Z = numpy.dot(A_prev, numpy.where(keep, W, 0.0)) / keep_prob + b.reshape(1, -1)
    return [Z, mask]
