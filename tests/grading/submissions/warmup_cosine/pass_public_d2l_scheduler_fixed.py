# style: d2l.ai CosineScheduler (warm-up then cosine to final_lr), with the warm-up counted from step + 1
import math


class CosineScheduler:
    def __init__(self, max_update, base_lr=0.01, final_lr=0, warmup_steps=0):
        self.base_lr_orig = base_lr
        self.max_update = max_update
        self.final_lr = final_lr
        self.warmup_steps = warmup_steps
        self.max_steps = self.max_update - self.warmup_steps

    def get_warmup_lr(self, epoch):
        return self.base_lr_orig * float(epoch + 1) / float(self.warmup_steps)

    def __call__(self, epoch):
        if epoch < self.warmup_steps:
            return self.get_warmup_lr(epoch)
        if epoch <= self.max_update:
            return self.final_lr + (self.base_lr_orig - self.final_lr) * (
                1 + math.cos(math.pi * (epoch - self.warmup_steps) / max(1, self.max_steps))) / 2
        return self.final_lr


def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    return CosineScheduler(total_steps, lr_max, lr_min, warmup_steps)(step)
