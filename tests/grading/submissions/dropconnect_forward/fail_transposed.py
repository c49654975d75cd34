def dropconnect_forward(A_prev, W, b, keep_prob, rng):
    mask = (rng.random(W.T.shape) < keep_prob) / keep_prob
    return A_prev @ (W * mask.T) + b, mask.T
