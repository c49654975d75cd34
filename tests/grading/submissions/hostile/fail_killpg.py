# expect: SIGKILL
import os
import signal


def momentum_update(w, dw, v, lr, beta=0.9):
    os.killpg(0, signal.SIGKILL)
