# diagnosis: mutates-dA
def dropout_backward(dA, mask):
    dA *= mask
    return dA
