# diagnosis: no-floor
def step_decay(lr0, epoch, drop, epochs_per_drop):
    return lr0 * drop ** (epoch / epochs_per_drop)
