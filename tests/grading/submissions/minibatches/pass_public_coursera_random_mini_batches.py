# style: Coursera Deep Learning course 2 random_mini_batches (examples as columns, math.floor, the end case)
import math
import numpy as np


def random_mini_batches(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    mini_batches = []
    permutation = list(rng.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size:m]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size:m]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches


def make_minibatches(X, Y, batch_size, rng):
    # the course's layout is (m, ...); Coursera's is (..., m): move axis 0 to the end and back
    Xt, Yt = np.moveaxis(X, 0, -1), np.moveaxis(Y, 0, -1)
    flat_X = Xt.reshape(-1, X.shape[0])
    flat_Y = Yt.reshape(-1, Y.shape[0])
    out = []
    for bx, by in random_mini_batches(flat_X, flat_Y, batch_size, rng):
        n = bx.shape[1]
        out.append((np.moveaxis(bx.reshape(Xt.shape[:-1] + (n,)), -1, 0), np.moveaxis(by.reshape(Yt.shape[:-1] + (n,)), -1, 0)))
    return out
