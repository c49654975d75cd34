# style: a helper that splits into ceil(m / batch_size) parts with np.array_split
# diagnosis: balanced-split
import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    idx = rng.permutation(len(X))
    n_batches = int(np.ceil(len(X) / batch_size))
    return [(X[b], Y[b]) for b in np.array_split(idx, n_batches)]
