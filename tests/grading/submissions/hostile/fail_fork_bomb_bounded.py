import os
import time

# a bounded fork storm: 40 children that each sleep a long time
for _ in range(40):
    if os.fork() == 0:
        time.sleep(600)
        os._exit(0)


def momentum_update(w, dw, v, lr, beta=0.9):
    return w, v
