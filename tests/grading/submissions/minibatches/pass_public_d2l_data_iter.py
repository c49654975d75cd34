# style: d2l.ai data_iter (shuffled indices, slices of batch_size, min() at the end), as a list
import numpy as np


def data_iter(batch_size, features, labels, rng):
    num_examples = len(features)
    indices = list(rng.permutation(num_examples))
    for i in range(0, num_examples, batch_size):
        batch_indices = np.array(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def make_minibatches(X, Y, batch_size, rng):
    return list(data_iter(batch_size, X, Y, rng))
