import math


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min):
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))
