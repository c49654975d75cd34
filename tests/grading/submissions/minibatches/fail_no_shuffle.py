# diagnosis: no-shuffle
def make_minibatches(X, Y, batch_size, rng):
    m = X.shape[0]
    return [(X[i:i + batch_size], Y[i:i + batch_size]) for i in range(0, m, batch_size)]
