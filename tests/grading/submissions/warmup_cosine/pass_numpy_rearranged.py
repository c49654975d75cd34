import numpy as np


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    """Written as a weighted mix of lr_max and lr_min."""
    if step < warmup_steps:
        return np.float64(step + 1) / warmup_steps * lr_max
    span = total_steps - warmup_steps
    p = (step - warmup_steps) / (span if span > 0 else 1)
    c = (1.0 + np.cos(np.pi * p)) / 2.0
    return c * lr_max + (1.0 - c) * lr_min
