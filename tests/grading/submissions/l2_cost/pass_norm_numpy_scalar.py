import numpy


def l2_cost(params, lambd, m):
    total = numpy.float64(0.0)
    for name in sorted(params):
        if name[0] == "W":
            total += numpy.linalg.norm(params[name].ravel()) ** 2
    return lambd * total / (2.0 * m)
