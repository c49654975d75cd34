import math


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = (step - warmup_steps) / (total_steps - warmup_steps + 1)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))
