# style: CS231n assignment 2 dropout_backward (dx = dout * mask in train mode)
def _dropout_backward(dout, cache):
    dropout_param, mask = cache
    mode = dropout_param["mode"]
    dx = None
    if mode == "train":
        dx = dout * mask
    elif mode == "test":
        dx = dout
    return dx


def dropout_backward(dA, mask):
    return _dropout_backward(dA, ({"mode": "train", "p": None}, mask))
