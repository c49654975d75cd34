# diagnosis: masks-inputs
def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    mask = (rng.random(A_prev.shape) < keep_prob) / keep_prob
    return (A_prev * mask) @ W + b, mask
