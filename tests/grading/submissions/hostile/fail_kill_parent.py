# the kill is contained (the worker is PID 1 of the sandbox's PID namespace, or out of reach by
# Landlock scoping or seccomp); the wrong update still fails
import os
import signal


def momentum_update(w, dw, v, lr, beta=0.9):
    os.kill(os.getppid(), signal.SIGKILL)
    return w, v
