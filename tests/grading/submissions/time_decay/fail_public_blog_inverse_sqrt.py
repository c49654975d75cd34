# style: an inverse square-root schedule taken for time-based decay
# diagnosis: square-root
import math


def time_decay(lr0, epoch, decay_rate):
    return lr0 / math.sqrt(1 + decay_rate * epoch)
