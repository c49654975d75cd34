# diagnosis: per-element
def spatial_dropout_forward(A, keep_prob, rng):
    mask = (rng.random(A.shape) < keep_prob) / keep_prob
    return A * mask, mask
