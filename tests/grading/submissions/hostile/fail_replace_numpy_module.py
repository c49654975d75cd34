import sys
import types

fake = types.ModuleType("numpy")
sys.modules["numpy"] = fake


def momentum_update(w, dw, v, lr, beta=0.9):
    return w, v
