# style: CS231n assignment 2 dropout_forward (mode "train", p the keep probability, cache = (dropout_param, mask))
import numpy as np


def _dropout_forward(x, dropout_param, rng):
    p, mode = dropout_param["p"], dropout_param["mode"]
    mask = None
    out = None
    if mode == "train":
        mask = (rng.random(x.shape) < p) / p
        out = x * mask
    elif mode == "test":
        out = x
    cache = (dropout_param, mask)
    out = out.astype(x.dtype, copy=False)
    return out, cache


def dropout_forward(A, keep_prob, rng):
    out, (_, mask) = _dropout_forward(A, {"p": keep_prob, "mode": "train"}, rng)
    return out, mask
