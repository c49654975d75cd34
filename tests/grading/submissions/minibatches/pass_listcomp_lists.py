import numpy


def make_minibatches(X, Y, batch_size, rng):
    """List comprehension; each batch a list instead of a tuple."""
    perm = rng.permutation(len(X))
    return [[X[perm[i:i + batch_size]], Y[perm[i:i + batch_size]]] for i in range(0, len(X), batch_size)]
