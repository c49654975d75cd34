# expect: timed out after 1 s
import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)


def momentum_update(w, dw, v, lr, beta=0.9):
    while True:
        pass
