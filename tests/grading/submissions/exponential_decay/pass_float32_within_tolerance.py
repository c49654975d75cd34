# float32 values are within the contract tolerance (1e-6 relative) and compare.py accepts any real dtype
# by value: passes by design (see the QA report); the optimizers catch float32 through the update.
import numpy as np


def exponential_decay(lr0, epoch, k):
    return np.float32(lr0) * np.exp(np.float32(-k * epoch), dtype=np.float32)
