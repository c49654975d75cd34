# style: Keras 2's legacy optimizer decay (lr * 1 / (1 + decay * iterations))
def time_decay(lr0, epoch, decay_rate):
    lr = lr0
    lr = lr * (1.0 / (1.0 + decay_rate * float(epoch)))
    return lr
