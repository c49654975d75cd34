# diagnosis: two-permutations
def make_minibatches(X, Y, batch_size, rng):
    Xs = rng.permutation(X)
    Ys = rng.permutation(Y)
    return [(Xs[i:i + batch_size], Ys[i:i + batch_size]) for i in range(0, len(X), batch_size)]
