# style: a Lightning-like EarlyStopping (monitor val_loss, mode "min", wait_count, strict improvement)
import numpy as np


class EarlyStopping:
    def __init__(self, patience=3, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.wait_count = 0
        self.best_score = np.inf
        self.stopped = False

    def check(self, current):
        if current < self.best_score - self.min_delta:
            self.best_score = current
            self.wait_count = 0
            return True
        self.wait_count += 1
        if self.wait_count >= self.patience:
            self.stopped = True
        return False


def early_stopping(val_losses, patience):
    es = EarlyStopping(patience=patience)
    best_epoch = 0
    for epoch, loss in enumerate(val_losses):
        if es.check(loss):
            best_epoch = epoch
        if es.stopped:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
