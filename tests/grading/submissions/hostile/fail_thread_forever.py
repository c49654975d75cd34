import threading
import time


def _spin():
    while True:
        time.sleep(0.05)


threading.Thread(target=_spin).start()  # non-daemon thread


def momentum_update(w, dw, v, lr, beta=0.9):
    return w, v
