def step_decay(lr0, epoch, drop, epochs_per_drop):
    lr = float(lr0)
    e = epochs_per_drop
    while e <= epoch:
        lr *= drop
        e += epochs_per_drop
    return lr
