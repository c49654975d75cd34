import math


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    # 0.5*(1+cos(pi p)) == cos(pi p / 2)**2
    if warmup_steps > 0 and step < warmup_steps:
        return lr_max * ((step + 1) / warmup_steps)
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_min + (lr_max - lr_min) * math.cos(math.pi * p / 2) ** 2
