# expect: import tutor
import importlib
import sys

sys.modules.pop("tutor", None)
mod = importlib.import_module("tutor.core.optimizers")
momentum_update = mod.momentum_update
