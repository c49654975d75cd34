import numpy as np


def early_stopping(val_losses, patience):
    losses = np.asarray(val_losses, dtype=float)
    best = np.int64(0)
    for e in range(losses.size):
        if losses[e] < losses[best]:
            best = np.int64(e)
        if e - best == patience:
            return best, np.int64(e)
    return best, np.int64(losses.size - 1)
