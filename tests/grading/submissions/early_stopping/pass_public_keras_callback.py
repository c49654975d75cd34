# style: Keras EarlyStopping (wait counter, min_delta = 0, stop when wait >= patience)
import numpy as np


def early_stopping(val_losses, patience):
    best = np.inf
    best_epoch = 0
    wait = 0
    stopped_epoch = len(val_losses) - 1
    for epoch, current in enumerate(val_losses):
        if current < best:
            best = current
            best_epoch = epoch
            wait = 0
        else:
            wait += 1
            if wait >= patience:
                stopped_epoch = epoch
                break
    return best_epoch, stopped_epoch
