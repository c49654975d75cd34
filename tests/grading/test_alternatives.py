"""Right answers written differently pass; subtly wrong ones fail."""

from __future__ import annotations

import pytest

from ._grading_helpers import exercise
from tutor.grading.grade import grade
from tutor.grading.sandbox import Sandbox

SEEDS = (11, 12)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


RIGHT = {
    "adam: in place on copies, a list, PyTorch's lr_t form": ("adam", """
import numpy as np

def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = v.copy(); v *= beta1; v += (1 - beta1) * dw
    s = s.copy(); s *= beta2; s += (1 - beta2) * np.square(dw)
    bc2 = np.sqrt(1 - beta2 ** t)
    lr_t = lr * bc2 / (1 - beta1 ** t)
    w_new = w.copy()
    w_new -= lr_t * v / (np.sqrt(s) + eps * bc2)
    return [w_new, v, s]
"""),
    "momentum: np.multiply with out=, step folded": ("momentum", """
import numpy as np

def momentum_update(w, dw, v, lr, beta=0.9):
    v_new = np.multiply(v, beta)
    np.add(v_new, (1.0 - beta) * dw, out=v_new)
    return (w - lr * v_new, v_new)
"""),
    "adagrad: ** 0.5": ("adagrad", """
def adagrad_update(w, dw, cache, lr, eps=1e-8):
    cache = cache + dw * dw
    return w - lr * dw / (cache ** 0.5 + eps), cache
"""),
    "rmsprop: np.square, division then multiply": ("rmsprop", """
import numpy as np

def rmsprop_update(w, dw, cache, lr, beta=0.9, eps=1e-8):
    cache_new = beta * cache + (1 - beta) * np.square(dw)
    step = dw / (np.sqrt(cache_new) + eps)
    return w - step * lr, cache_new
"""),
    "adamax: lr_t first, maximum with out=": ("adamax", """
import numpy as np

def adamax_update(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    lr_t = lr / (1 - beta1 ** t)
    v_new = beta1 * v + (1 - beta1) * dw
    u_new = np.empty_like(u)
    np.maximum(beta2 * u, np.abs(dw), out=u_new)
    return w - lr_t * (v_new / (u_new + eps)), v_new, u_new
"""),
    "nadam: the look-ahead as a corrected next moment": ("nadam", """
import numpy as np

def nadam_update(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    v1 = beta1 * v + (1 - beta1) * dw
    s1 = beta2 * s + (1 - beta2) * dw ** 2
    v_next_hat = v1 / (1 - beta1 ** (t + 1))
    g_hat = dw / (1 - beta1 ** t)
    v_bar = beta1 * v_next_hat + (1 - beta1) * g_hat
    return w - lr * v_bar / (np.sqrt(s1 / (1 - beta2 ** t)) + eps), v1, s1
"""),
    "minibatches: arange + rng.shuffle, lists, a while loop": ("minibatches", """
import numpy as np

def make_minibatches(X, Y, batch_size, rng):
    idx = np.arange(len(X))
    rng.shuffle(idx)
    out, k = [], 0
    while k < len(X):
        sel = idx[k:k + batch_size]
        out.append([X[sel], Y[sel]])
        k += batch_size
    return out
"""),
    "step_decay: // and a NumPy float": ("step_decay", """
import numpy as np

def step_decay(lr0, epoch, drop, epochs_per_drop):
    return np.float64(lr0) * np.power(drop, epoch // epochs_per_drop)
"""),
    "exponential_decay: exp(-k) to the power epoch": ("exponential_decay", """
import math

def exponential_decay(lr0, epoch, k):
    return lr0 * math.exp(-k) ** epoch
"""),
    "time_decay: a 0-d array": ("time_decay", """
import numpy as np

def time_decay(lr0, epoch, decay_rate):
    return np.array(lr0) / (1.0 + decay_rate * epoch)
"""),
    "warmup_cosine: np.cos, cosine as 1 - (1 - cos)/2": ("warmup_cosine", """
import numpy as np

def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    if step < warmup_steps:
        return (step + 1) * lr_max / warmup_steps
    p = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return lr_max - (lr_max - lr_min) * (1 - np.cos(np.pi * p)) / 2
"""),
    "optimizer classes: in-place -=, setdefault, a shared base class": ("optimizer_classes", """
import numpy as np

class _Base:
    def step(self, params, grads):
        self.before()
        for key in params:
            self.update(key, params[key], grads["d" + key])
    def before(self):
        pass

class SGD(_Base):
    def __init__(self, lr):
        self.lr = lr
    def update(self, key, w, dw):
        w -= self.lr * dw

class Momentum(_Base):
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, {}
    def update(self, key, w, dw):
        v = self.v.setdefault(key, np.zeros_like(w))
        v *= self.beta
        v += (1 - self.beta) * dw
        w -= self.lr * v

class Adam(_Base):
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.m, self.s, self.t = {}, {}, 0
    def before(self):
        self.t += 1
    def update(self, key, w, dw):
        m = self.m.setdefault(key, np.zeros_like(w))
        s = self.s.setdefault(key, np.zeros_like(w))
        m[...] = self.b1 * m + (1 - self.b1) * dw
        s[...] = self.b2 * s + (1 - self.b2) * dw ** 2
        w -= self.lr * (m / (1 - self.b1 ** self.t)) / (np.sqrt(s / (1 - self.b2 ** self.t)) + self.eps)
"""),
}

WRONG = {
    "adam: eps hard-coded": ("adam", """
import numpy as np

def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    return w - lr * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + 1e-8), v, s
"""),
    "adam: default lr 0.01": ("adam", """
import numpy as np

def adam_update(w, dw, v, s, t, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    return w - lr * (v / (1 - beta1 ** t)) / (np.sqrt(s / (1 - beta2 ** t)) + eps), v, s
"""),
    "momentum: float32": ("momentum", """
import numpy as np

def momentum_update(w, dw, v, lr, beta=0.9):
    v = (beta * v + (1 - beta) * dw).astype(np.float32)
    return (w - lr * v).astype(np.float32), v
"""),
    "minibatches: rng.permutation of the arrays": ("minibatches", """
def make_minibatches(X, Y, batch_size, rng):
    Xs, Ys = rng.permutation(X), rng.permutation(Y)
    return [(Xs[k:k + batch_size], Ys[k:k + batch_size]) for k in range(0, len(X), batch_size)]
"""),
    "minibatches: shuffles X in place": ("minibatches", """
import numpy as np

def make_minibatches(X, Y, batch_size, rng):
    perm = rng.permutation(len(X))
    X[:] = X[perm]
    Ys = Y[perm]
    return [(X[k:k + batch_size].copy(), Ys[k:k + batch_size]) for k in range(0, len(X), batch_size)]
"""),
    "step_decay: (epoch - 1) // n": ("step_decay", """
def step_decay(lr0, epoch, drop, epochs_per_drop):
    return lr0 * drop ** max(0, (epoch - 1) // epochs_per_drop)
"""),
    "warmup_cosine: one step short in p": ("warmup_cosine", """
import math

def warmup_cosine(step, total_steps, lr_max, warmup_steps, lr_min=0.0):
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps - 1))
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * p))
"""),
    "optimizer classes: state in a class attribute (shared by every instance)": ("optimizer_classes", """
import numpy as np

class SGD:
    def __init__(self, lr):
        self.lr = lr
    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads["d" + k]

class Momentum:
    v = {}
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta = lr, beta
    def step(self, params, grads):
        for k in params:
            v = self.beta * self.v.get(k, 0.0) + (1 - self.beta) * grads["d" + k]
            self.v[k] = v
            params[k] = params[k] - self.lr * v

class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps, self.t, self.m, self.s = lr, beta1, beta2, eps, 0, {}, {}
    def step(self, params, grads):
        self.t += 1
        for k in params:
            g = grads["d" + k]
            self.m[k] = self.b1 * self.m.get(k, 0.0) + (1 - self.b1) * g
            self.s[k] = self.b2 * self.s.get(k, 0.0) + (1 - self.b2) * g ** 2
            params[k] = params[k] - self.lr * (self.m[k] / (1 - self.b1 ** self.t)) / (
                np.sqrt(self.s[k] / (1 - self.b2 ** self.t)) + self.eps)
"""),
    "optimizer classes: Adam with eps inside the square root": ("optimizer_classes", """
import numpy as np

class SGD:
    def __init__(self, lr):
        self.lr = lr
    def step(self, params, grads):
        for k in params:
            params[k] = params[k] - self.lr * grads["d" + k]

class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, {}
    def step(self, params, grads):
        for k in params:
            v = self.beta * self.v.get(k, 0.0) + (1 - self.beta) * grads["d" + k]
            self.v[k] = v
            params[k] = params[k] - self.lr * v

class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps, self.t, self.m, self.s = lr, beta1, beta2, eps, 0, {}, {}
    def step(self, params, grads):
        self.t += 1
        for k in params:
            g = grads["d" + k]
            self.m[k] = self.b1 * self.m.get(k, 0.0) + (1 - self.b1) * g
            self.s[k] = self.b2 * self.s.get(k, 0.0) + (1 - self.b2) * g ** 2
            params[k] = params[k] - self.lr * (self.m[k] / (1 - self.b1 ** self.t)) / np.sqrt(
                self.s[k] / (1 - self.b2 ** self.t) + self.eps)
"""),
}


@pytest.mark.parametrize("label", list(RIGHT))
@pytest.mark.parametrize("seed", SEEDS)
def test_equivalent_answers_pass(label, seed, sandbox):
    exercise_id, source = RIGHT[label]
    v = grade(exercise(exercise_id), source, filename=f"{exercise_id}.py", seed=seed, sandbox=sandbox)
    assert v.passed, f"{label}: {v.summary} {v.message} {[(c.name, c.message) for c in v.cases if not c.passed][:2]}"


@pytest.mark.parametrize("label", list(WRONG))
def test_subtly_wrong_answers_fail(label, sandbox):
    exercise_id, source = WRONG[label]
    v = grade(exercise(exercise_id), source, filename=f"{exercise_id}.py", seed=SEEDS[0], sandbox=sandbox)
    assert not v.passed, f"{label} passed"
    assert v.status == "ok"
