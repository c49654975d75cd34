# style: the step_decay of Keras LearningRateScheduler tutorials (floor((1 + epoch) / epochs_drop))
# diagnosis: one-based-epoch
import math


def step_decay(lr0, epoch, drop, epochs_per_drop):
    initial_lrate = lr0
    epochs_drop = epochs_per_drop
    lrate = initial_lrate * math.pow(drop, math.floor((1 + epoch) / epochs_drop))
    return lrate
