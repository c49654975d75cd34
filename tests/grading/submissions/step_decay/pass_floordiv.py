def step_decay(lr0: float, epoch: int, drop: float, epochs_per_drop: int) -> float:
    """lr0 * drop ** floor(epoch / epochs_per_drop)"""
    return lr0 * drop ** (epoch // epochs_per_drop)
