"""Cases and known mistakes of ``optimizer_nine`` (lesson 7.8): the nine update rules of the course
as classes behind one interface, ``step(params, grads) -> None``.

The classes and their constructors are the core's (``tutor.core.optimizers``, the reference):
``SGD(lr, weight_decay=0)``, ``Momentum(lr, beta=0.9, bias_correction=False, weight_decay=0)``,
``Nesterov(lr, beta=0.9, weight_decay=0)``, ``AdaGrad(lr, eps=1e-8, weight_decay=0)``,
``RMSProp(lr, beta=0.9, eps=1e-8, weight_decay=0)``, ``Adam(lr=0.001, beta1=0.9, beta2=0.999,
eps=1e-8, weight_decay=0)``, ``AdaMax(lr=0.002, …)``, ``Nadam(lr=0.002, …)``,
``AdamW(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, wd=0.01)``.

Every case is a trajectory of one class (its name starts with the class), so the grader's verdict
says class by class which pass and which fail (``tutor.grading.by_name``). Per class: default
hyper-parameters on a 2-layer network (weights and biases), non-default ones on two parameters of
the same shape (shared state would not raise), L2 weight decay (``dW + weight_decay·W`` on ``W``
keys only; AdamW: the decoupled ``W·(1 − lr·wd)``), tiny gradients (~1e-6) for the rules with
``eps``, Momentum's bias correction, and two random trajectories per class.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.exercises.optim import _grads, _params, _trajectory
from tutor.grading.cases import log_uniform, random_shape

CLASSES = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaMax", "Nadam", "AdamW")

_ADAM_OTHER = {"lr": 0.01, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2}

# (default hyper-parameters, non-default ones, with weight decay)
_HP: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "SGD": ({"lr": 0.1}, {"lr": 0.03}, {"lr": 0.1, "weight_decay": 0.3}),
    "Momentum": ({"lr": 0.1}, {"lr": 0.05, "beta": 0.8}, {"lr": 0.1, "weight_decay": 0.3}),
    "Nesterov": ({"lr": 0.1}, {"lr": 0.05, "beta": 0.8}, {"lr": 0.1, "weight_decay": 0.3}),
    "AdaGrad": ({"lr": 0.1}, {"lr": 0.05, "eps": 1e-2}, {"lr": 0.1, "weight_decay": 0.3}),
    "RMSProp": ({"lr": 0.01}, {"lr": 0.02, "beta": 0.8, "eps": 1e-2}, {"lr": 0.01, "weight_decay": 0.3}),
    "Adam": ({}, dict(_ADAM_OTHER), {"lr": 0.01, "weight_decay": 0.3}),
    "AdaMax": ({}, dict(_ADAM_OTHER), {"lr": 0.01, "weight_decay": 0.3}),
    "Nadam": ({}, dict(_ADAM_OTHER), {"lr": 0.01, "weight_decay": 0.3}),
    "AdamW": ({}, {**_ADAM_OTHER, "wd": 0.1}, {"lr": 0.05, "wd": 0.5}),
}
_HAS_EPS = ("AdaGrad", "RMSProp", "Adam", "AdaMax", "Nadam", "AdamW")


def _random_hyper(rng: np.random.Generator, cls: str) -> dict[str, Any]:
    hyper = dict(_HP[cls][0])
    if cls in ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp") or rng.random() < 0.5:
        hyper["lr"] = round(log_uniform(rng, 1e-3, 0.2), 5)
    if cls in ("Momentum", "Nesterov", "RMSProp") and rng.random() < 0.6:
        hyper["beta"] = round(float(rng.uniform(0.5, 0.99)), 3)
    if cls in ("Adam", "AdaMax", "Nadam", "AdamW") and rng.random() < 0.6:
        hyper["beta1"] = round(float(rng.uniform(0.5, 0.95)), 3)
        hyper["beta2"] = round(float(rng.uniform(0.8, 0.9999)), 4)
    if cls == "Momentum" and rng.random() < 0.4:
        hyper["bias_correction"] = True
    if cls == "AdamW":
        hyper["wd"] = round(float(rng.uniform(0.0, 0.5)), 3)
    elif rng.random() < 0.4:
        hyper["weight_decay"] = round(float(rng.uniform(0.01, 0.5)), 3)
    return hyper


def optimizer_nine_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Trajectories of several ``step`` calls, each of one class (named after it)."""
    net = {"W1": (3, 2), "b1": (2,), "W2": (2, 4), "b2": (4,)}
    same = {"W1": (2, 3), "W2": (2, 3)}
    conv = {"W1": (2, 1, 2, 3), "b1": (2,)}
    cases = []
    for cls in CLASSES:
        default_hp, other_hp, decay_hp = _HP[cls]
        cases.append(_trajectory(f"{cls}: 4 steps on a 2-layer network, default hyper-parameters", cls, default_hp,
                                 _params(rng, net), [_grads(rng, net, 1.0) for _ in range(4)]))
        cases.append(_trajectory(f"{cls}: 3 steps, two parameters of the same shape, "
                                 + ", ".join(f"{k}={v}" for k, v in other_hp.items()),
                                 cls, other_hp, _params(rng, same), [_grads(rng, same, 0.5) for _ in range(3)]))
        cases.append(_trajectory(f"{cls}: 3 steps with " + ", ".join(f"{k}={v}" for k, v in decay_hp.items())
                                 + " (weights decay, biases do not)",
                                 cls, decay_hp, _params(rng, net), [_grads(rng, net, 0.5) for _ in range(3)]))
        if cls in _HAS_EPS:
            cases.append(_trajectory(f"{cls}: tiny gradients (~1e-6), 4-D weights, 3 steps", cls,
                                     {"lr": 0.01}, _params(rng, conv), [_grads(rng, conv, 1e-6) for _ in range(3)]))
    cases.append(_trajectory("Momentum: 4 steps with bias_correction=True", "Momentum",
                             {"lr": 0.1, "bias_correction": True}, _params(rng, net),
                             [_grads(rng, net, 1.0) for _ in range(4)]))
    for i in range(2 * len(CLASSES)):
        cls = CLASSES[i % len(CLASSES)]
        n_layers = int(rng.integers(1, 3))
        shapes: dict[str, tuple[int, ...]] = {}
        for layer in range(1, n_layers + 1):
            shapes[f"W{layer}"] = random_shape(rng, ("2d",))
            shapes[f"b{layer}"] = (shapes[f"W{layer}"][-1],)
        g = log_uniform(rng, 1e-4, 3.0)
        hyper = _random_hyper(rng, cls)
        steps = int(rng.integers(2, 6))
        cases.append(_trajectory(f"{cls}: random {i // len(CLASSES) + 1}, {steps} steps on {', '.join(shapes)}",
                                 cls, hyper, _params(rng, shapes, log_uniform(rng, 0.1, 5.0)),
                                 [_grads(rng, shapes, g) for _ in range(steps)]))
    return cases


# --------------------------------------------------------------------------- known mistakes
# Each is self-contained (numpy only) with the core's constructor signature: the dev check runs
# its source, renamed, as a learner's class.


class NesterovPlainMomentum:
    """Nesterov that steps with the new velocity ``v'`` (plain momentum), not ``β·v' + (1 − β)·dw``."""

    def __init__(self, lr, beta=0.9, weight_decay=0.0):
        self.lr, self.beta, self.weight_decay, self.v, self.t = lr, beta, weight_decay, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            v = self.beta * self.v.get(key, 0.0) + (1 - self.beta) * dw
            self.v[key] = v
            params[key] = params[key] - self.lr * v


class MomentumIgnoresBiasCorrection:
    """Momentum that accepts ``bias_correction`` but never divides by ``1 − β**t``."""

    def __init__(self, lr, beta=0.9, bias_correction=False, weight_decay=0.0):
        self.lr, self.beta, self.weight_decay, self.v, self.t = lr, beta, weight_decay, {}, 0
        self.bias_correction = bias_correction

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            v = self.beta * self.v.get(key, 0.0) + (1 - self.beta) * dw
            self.v[key] = v
            params[key] = params[key] - self.lr * v


class SGDDecaysBiases:
    """SGD whose ``weight_decay`` is added to every gradient, biases included."""

    def __init__(self, lr, weight_decay=0.0):
        self.lr, self.weight_decay, self.t = lr, weight_decay, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key] + self.weight_decay * params[key]
            params[key] = params[key] - self.lr * dw


class AdaGradDecaying:
    """AdaGrad with a decaying average ``0.9·cache + 0.1·dw²`` (that is RMSProp)."""

    def __init__(self, lr, eps=1e-8, weight_decay=0.0):
        self.lr, self.eps, self.weight_decay, self.cache, self.t = lr, eps, weight_decay, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            c = 0.9 * self.cache.get(key, 0.0) + 0.1 * dw**2
            self.cache[key] = c
            params[key] = params[key] - self.lr * dw / (np.sqrt(c) + self.eps)


class RMSPropEpsInsideSqrt:
    """RMSProp dividing by ``sqrt(cache + eps)`` instead of ``sqrt(cache) + eps``."""

    def __init__(self, lr, beta=0.9, eps=1e-8, weight_decay=0.0):
        self.lr, self.beta, self.eps, self.weight_decay, self.cache, self.t = lr, beta, eps, weight_decay, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            c = self.beta * self.cache.get(key, 0.0) + (1 - self.beta) * dw**2
            self.cache[key] = c
            params[key] = params[key] - self.lr * dw / np.sqrt(c + self.eps)


class AdaMaxAverage:
    """AdaMax with ``u = β₂·u + (1 − β₂)·|dw|``: an average of |dw|, not the running maximum."""

    def __init__(self, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.lr, self.beta1, self.beta2, self.eps, self.weight_decay = lr, beta1, beta2, eps, weight_decay
        self.v, self.u, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            v = self.beta1 * self.v.get(key, 0.0) + (1 - self.beta1) * dw
            u = self.beta2 * self.u.get(key, 0.0) + (1 - self.beta2) * np.abs(dw)
            self.v[key], self.u[key] = v, u
            params[key] = params[key] - (self.lr / (1 - self.beta1**self.t)) * v / (u + self.eps)


class NadamBlogForm:
    """Nadam with ``1 − β₁ᵗ`` in the momentum term (the common blog form) instead of ``1 − β₁ᵗ⁺¹``."""

    def __init__(self, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.lr, self.beta1, self.beta2, self.eps, self.weight_decay = lr, beta1, beta2, eps, weight_decay
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        for key in params:
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            v = b1 * self.v.get(key, 0.0) + (1 - b1) * dw
            s = b2 * self.s.get(key, 0.0) + (1 - b2) * dw**2
            self.v[key], self.s[key] = v, s
            v_bar = b1 * v / (1 - b1**t) + (1 - b1) * dw / (1 - b1**t)
            params[key] = params[key] - self.lr * v_bar / (np.sqrt(s / (1 - b2**t)) + self.eps)


class AdamWDecayInGradient:
    """AdamW that adds ``wd·W`` to the gradient (L2 inside Adam) instead of shrinking ``W`` apart."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, wd=0.01):
        self.lr, self.beta1, self.beta2, self.eps, self.wd = lr, beta1, beta2, eps, wd
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        for key in params:
            dw = grads["d" + key]
            if key.startswith("W"):
                dw = dw + self.wd * params[key]
            v = b1 * self.v.get(key, 0.0) + (1 - b1) * dw
            s = b2 * self.s.get(key, 0.0) + (1 - b2) * dw**2
            self.v[key], self.s[key] = v, s
            params[key] = params[key] - self.lr * (v / (1 - b1**t)) / (np.sqrt(s / (1 - b2**t)) + self.eps)


class AdamWDecaysBiases:
    """AdamW that shrinks every parameter by ``1 − lr·wd``, biases included."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, wd=0.01):
        self.lr, self.beta1, self.beta2, self.eps, self.wd = lr, beta1, beta2, eps, wd
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        b1, b2, t = self.beta1, self.beta2, self.t
        for key in params:
            dw = grads["d" + key]
            v = b1 * self.v.get(key, 0.0) + (1 - b1) * dw
            s = b2 * self.s.get(key, 0.0) + (1 - b2) * dw**2
            self.v[key], self.s[key] = v, s
            w = params[key] * (1 - self.lr * self.wd)
            params[key] = w - self.lr * (v / (1 - b1**t)) / (np.sqrt(s / (1 - b2**t)) + self.eps)


class AdamTPerParameter:
    """Adam whose ``t`` goes up once per parameter instead of once per ``step`` call."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
        self.lr, self.beta1, self.beta2, self.eps, self.weight_decay = lr, beta1, beta2, eps, weight_decay
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        b1, b2 = self.beta1, self.beta2
        for key in params:
            self.t += 1
            dw = grads["d" + key]
            if self.weight_decay and key.startswith("W"):
                dw = dw + self.weight_decay * params[key]
            v = b1 * self.v.get(key, 0.0) + (1 - b1) * dw
            s = b2 * self.s.get(key, 0.0) + (1 - b2) * dw**2
            self.v[key], self.s[key] = v, s
            t = self.t
            params[key] = params[key] - self.lr * (v / (1 - b1**t)) / (np.sqrt(s / (1 - b2**t)) + self.eps)
