def dropout_forward(A, keep_prob, rng):
    mask = (rng.random(A.shape[1:]) < keep_prob) / keep_prob
    return A * mask, mask * (A != A + 1)
