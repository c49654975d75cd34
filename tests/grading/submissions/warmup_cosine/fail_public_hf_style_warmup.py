# style: a Hugging Face-style cosine schedule with warm-up (multiplier step / warmup during warm-up)
# diagnosis: warmup-off-by-one
import math


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    def lr_lambda(current_step):
        if current_step < warmup_steps:
            return float(current_step) / float(max(1, warmup_steps))
        progress = float(current_step - warmup_steps) / float(max(1, total_steps - warmup_steps))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))
    if step < warmup_steps:
        return lr_max * lr_lambda(step)
    return lr_min + (lr_max - lr_min) * lr_lambda(step)
