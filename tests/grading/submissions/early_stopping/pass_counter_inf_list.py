import math


def early_stopping(val_losses, patience):
    best_loss, best, waited = math.inf, 0, 0
    for e, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best, waited = loss, e, 0
        else:
            waited += 1
        if waited >= patience:
            return [best, e]
    return [best, len(val_losses) - 1]
