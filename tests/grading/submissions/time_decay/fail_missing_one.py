def time_decay(lr0, epoch, decay_rate):
    return lr0 / (decay_rate * epoch + 1e-12)
