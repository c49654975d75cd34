# expect: segmentation fault
import ctypes


def momentum_update(w, dw, v, lr, beta=0.9):
    ctypes.string_at(0)
