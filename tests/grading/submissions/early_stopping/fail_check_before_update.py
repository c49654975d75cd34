def early_stopping(val_losses, patience):
    best = 0
    for e in range(len(val_losses)):
        if e - best == patience:
            return best, e
        if val_losses[e] < val_losses[best]:
            best = e
    return best, len(val_losses) - 1
