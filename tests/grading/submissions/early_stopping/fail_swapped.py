def early_stopping(val_losses, patience):
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best == patience:
            return e, best
    return len(val_losses) - 1, best
