def dropout_backward(dA, mask):
    return dA * mask
