import numpy


def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    v_new = v.copy()
    v_new *= beta1
    v_new += (1 - beta1) * dw
    a = beta2 * u
    g = numpy.abs(dw)
    u_new = numpy.where(a > g, a, g)
    w_new = w.copy()
    w_new -= lr * (v_new / (1 - beta1 ** t)) / (u_new + eps)
    return [w_new, v_new, u_new]
