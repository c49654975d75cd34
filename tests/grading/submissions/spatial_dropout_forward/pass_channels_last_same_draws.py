# rng.random((m, 1, 1, C)) draws the same m*C numbers in the same order as (m, C, 1, 1): the same mask.
def spatial_dropout_forward(A, keep_prob, rng):
    m, C, H, W = A.shape
    mask = (rng.random((m, 1, 1, C)) < keep_prob) / keep_prob
    mask = mask.transpose(0, 3, 1, 2)
    return A * mask, mask
