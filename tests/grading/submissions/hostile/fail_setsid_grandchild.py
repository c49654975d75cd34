import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        open("/tmp/tutor_qa_grandchild.pid", "w").write(str(os.getpid()))
        while True:
            time.sleep(0.1)
    os._exit(0)


def momentum_update(w, dw, v, lr, beta=0.9):
    return w, v
