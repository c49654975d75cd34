# expect: stopped unexpectedly
import os
import signal


def momentum_update(w, dw, v, lr, beta=0.9):
    os.kill(os.getppid(), signal.SIGKILL)
    return w, v
