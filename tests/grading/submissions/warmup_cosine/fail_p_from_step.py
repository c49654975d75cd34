import math


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = step / max(1, total_steps)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))
