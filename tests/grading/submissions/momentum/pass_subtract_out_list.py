import numpy


def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = beta * v + (1 - beta) * dw
    w_new = numpy.empty_like(w)
    numpy.subtract(w, lr * v_new, out=w_new)
    return [w_new, v_new]
