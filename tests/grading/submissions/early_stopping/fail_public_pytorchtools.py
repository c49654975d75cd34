# style: the EarlyStopping class of pytorchtools (score = -val_loss; "score < best_score + delta" counts as no improvement)
# diagnosis: less-or-equal
import numpy as np


class EarlyStopping:
    def __init__(self, patience=7, delta=0):
        self.patience = patience
        self.counter = 0
        self.best_score = None
        self.early_stop = False
        self.delta = delta

    def __call__(self, val_loss):
        score = -val_loss
        if self.best_score is None:
            self.best_score = score
            return True
        elif score < self.best_score + self.delta:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True
            return False
        else:
            self.best_score = score
            self.counter = 0
            return True


def early_stopping(val_losses, patience):
    stopper = EarlyStopping(patience=patience)
    best = 0
    for epoch, loss in enumerate(val_losses):
        if stopper(loss):
            best = epoch
        if stopper.early_stop:
            return best, epoch
    return best, len(val_losses) - 1
