# diagnosis: boolean-mask
def dropout_forward(A, keep_prob, rng):
    keep = rng.random(A.shape) < keep_prob
    return A * keep / keep_prob, keep
