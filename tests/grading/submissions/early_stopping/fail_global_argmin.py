import numpy as np


def early_stopping(val_losses, patience):
    stop = len(val_losses) - 1
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best == patience:
            stop = e
            break
    return int(np.argmin(val_losses)), stop
