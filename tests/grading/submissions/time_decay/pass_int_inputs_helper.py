def _denominator(epoch: int, decay_rate: float) -> float:
    return 1.0 + float(decay_rate) * float(epoch)


def time_decay(lr0, epoch, decay_rate):
    if epoch == 0:
        return lr0
    return lr0 / _denominator(epoch, decay_rate)
