# diagnosis: other-random-call
def dropout_forward(A, keep_prob, rng):
    mask = rng.binomial(1, keep_prob, size=A.shape) / keep_prob
    return A * mask, mask
