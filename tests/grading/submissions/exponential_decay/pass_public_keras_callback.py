# style: a Keras LearningRateScheduler callback (lr0 * exp(-k * epoch))
import math


def exp_decay(epoch, initial_lrate, k):
    lrate = initial_lrate * math.exp(-k * epoch)
    return lrate


def exponential_decay(lr0, epoch, k):
    return exp_decay(epoch, lr0, k)
