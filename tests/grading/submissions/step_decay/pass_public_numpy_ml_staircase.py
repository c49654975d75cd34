# style: numpy-ml ExponentialScheduler with staircase=True (decay ** floor(step / stage_length))
import numpy as np


class ExponentialScheduler:
    def __init__(self, initial_lr=0.01, stage_length=500, staircase=False, decay=0.1):
        self.initial_lr, self.stage_length, self.staircase, self.decay = initial_lr, stage_length, staircase, decay

    def learning_rate(self, step, **kwargs):
        cur_stage = step / self.stage_length
        if self.staircase:
            cur_stage = np.floor(cur_stage)
        return self.initial_lr * self.decay ** cur_stage


def step_decay(lr0, epoch, drop, epochs_per_drop):
    return float(ExponentialScheduler(lr0, epochs_per_drop, True, drop).learning_rate(epoch))
