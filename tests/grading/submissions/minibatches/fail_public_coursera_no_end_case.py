# style: Coursera random_mini_batches without the end case (m % mini_batch_size)
# diagnosis: drop-remainder
import math
import numpy as np


def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    permutation = list(rng.permutation(m))
    shuffled_X, shuffled_Y = X[permutation], Y[permutation]
    mini_batches = []
    for k in range(math.floor(m / batch_size)):
        mini_batches.append((shuffled_X[k * batch_size:(k + 1) * batch_size], shuffled_Y[k * batch_size:(k + 1) * batch_size]))
    return mini_batches
