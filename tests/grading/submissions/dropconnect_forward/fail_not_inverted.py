# diagnosis: no-scaling
def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    mask = (rng.random(W.shape) < keep_prob).astype(float)
    return A_prev @ (W * mask) + b, mask
