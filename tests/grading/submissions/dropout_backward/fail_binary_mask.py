# diagnosis: unscaled
def dropout_backward(dA, mask):
    return dA * (mask > 0)
