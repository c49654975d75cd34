"""Optimizer update rules: the readable reference functions of ``curriculum.md``.

Every function takes the current parameter ``w``, its gradient ``dw`` and the optimizer state, and
returns *new* arrays ``(w', state')`` without touching its inputs. The names follow the lessons:
``v`` is the first moment (momentum), ``s`` the second moment, ``cache`` the sum/average of squared
gradients, ``u`` AdaMax's infinity norm. ``t`` is the 1-based step counter.

The optimizer classes (same module, below the functions) apply the same rules in place to a dict of
parameters; they are tested equal to these functions.
"""

from __future__ import annotations

import inspect
import os
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _check

__all__ = [
    "sgd_update",
    "momentum_update",
    "momentum_bc_update",
    "nesterov_update",
    "adagrad_update",
    "rmsprop_update",
    "adam_update",
    "adamax_update",
    "nadam_update",
    "adamw_update",
    "CHUNK",
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adam",
    "AdaMax",
    "Nadam",
    "AdamW",
    "OPTIMIZERS",
    "make_optimizer",
]


def _arrays(**named: Any) -> list[np.ndarray]:
    out = {name: _check.array(name, value) for name, value in named.items()}
    _check.same_shape(**out)
    return list(out.values())


def _step(t: Any) -> int:
    return _check.integer("t", t, minimum=1)


def sgd_update(w: np.ndarray, dw: np.ndarray, lr: float) -> np.ndarray:
    """Plain gradient descent: ``w' = w - lr*dw``. Returns ``w'``."""
    w, dw = _arrays(w=w, dw=dw)
    lr = _check.positive("lr", lr)
    return w - lr * dw


def momentum_update(
    w: np.ndarray, dw: np.ndarray, v: np.ndarray, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Momentum as an exponentially weighted average of the gradients.

    ``v' = beta*v + (1-beta)*dw``;  ``w' = w - lr*v'``.  Returns ``(w', v')``.
    """
    w, dw, v = _arrays(w=w, dw=dw, v=v)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * v_new
    return w_new, v_new


def momentum_bc_update(
    w: np.ndarray, dw: np.ndarray, v: np.ndarray, t: int, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Momentum with bias correction of the average.

    ``v' = beta*v + (1-beta)*dw``;  ``w' = w - lr*v'/(1-beta**t)``.  Returns ``(w', v')``,
    the average uncorrected.
    """
    w, dw, v = _arrays(w=w, dw=dw, v=v)
    t = _step(t)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * v_new / (1 - beta**t)
    return w_new, v_new


def nesterov_update(
    w: np.ndarray, dw: np.ndarray, v: np.ndarray, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Nesterov momentum (the look-ahead written on the current gradient).

    ``v' = beta*v + (1-beta)*dw``;  ``w' = w - lr*(beta*v' + (1-beta)*dw)``.  Returns ``(w', v')``.
    (torch: ``SGD(lr=lr*(1-beta), momentum=beta, nesterov=True)``.)
    """
    w, dw, v = _arrays(w=w, dw=dw, v=v)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    v_new = beta * v + (1 - beta) * dw
    w_new = w - lr * (beta * v_new + (1 - beta) * dw)
    return w_new, v_new


def adagrad_update(
    w: np.ndarray, dw: np.ndarray, cache: np.ndarray, lr: float, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """AdaGrad: a per-parameter rate that shrinks with the sum of squared gradients.

    ``cache' = cache + dw**2``;  ``w' = w - lr*dw/(sqrt(cache') + eps)``.  Returns ``(w', cache')``.
    """
    w, dw, cache = _arrays(w=w, dw=dw, cache=cache)
    lr = _check.positive("lr", lr)
    eps = _check.nonnegative("eps", eps)
    cache_new = cache + dw**2
    w_new = w - lr * dw / (np.sqrt(cache_new) + eps)
    return w_new, cache_new


def rmsprop_update(
    w: np.ndarray,
    dw: np.ndarray,
    cache: np.ndarray,
    lr: float,
    beta: float = 0.9,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:
    """RMSProp: AdaGrad with a moving average instead of a sum.

    ``cache' = beta*cache + (1-beta)*dw**2``;  ``w' = w - lr*dw/(sqrt(cache') + eps)``.
    Returns ``(w', cache')``.
    """
    w, dw, cache = _arrays(w=w, dw=dw, cache=cache)
    lr = _check.positive("lr", lr)
    beta = _check.beta("beta", beta)
    eps = _check.nonnegative("eps", eps)
    cache_new = beta * cache + (1 - beta) * dw**2
    w_new = w - lr * dw / (np.sqrt(cache_new) + eps)
    return w_new, cache_new


def _adam_args(
    w: Any, dw: Any, v: Any, s: Any, t: Any, lr: Any, beta1: Any, beta2: Any, eps: Any, s_name: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, float, float, float, float]:
    w, dw, v, s = _arrays(w=w, dw=dw, v=v, **{s_name: s})
    return (
        w,
        dw,
        v,
        s,
        _step(t),
        _check.positive("lr", lr),
        _check.beta("beta1", beta1),
        _check.beta("beta2", beta2),
        _check.nonnegative("eps", eps),
    )


def adam_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adam: momentum and RMSProp with bias correction.

    ``v' = beta1*v + (1-beta1)*dw``;  ``s' = beta2*s + (1-beta2)*dw**2``;
    ``v_hat = v'/(1-beta1**t)``;  ``s_hat = s'/(1-beta2**t)``;
    ``w' = w - lr*v_hat/(sqrt(s_hat) + eps)``.  Returns ``(w', v', s')``, the moments uncorrected.
    """
    w, dw, v, s, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, s, t, lr, beta1, beta2, eps, "s")
    v_new = beta1 * v + (1 - beta1) * dw
    s_new = beta2 * s + (1 - beta2) * dw**2
    v_hat = v_new / (1 - beta1**t)
    s_hat = s_new / (1 - beta2**t)
    w_new = w - lr * v_hat / (np.sqrt(s_hat) + eps)
    return w_new, v_new, s_new


def adamax_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    u: np.ndarray,
    t: int,
    lr: float = 0.002,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AdaMax: Adam with the infinity norm in place of the second moment.

    ``v' = beta1*v + (1-beta1)*dw``;  ``u' = maximum(beta2*u, abs(dw))``;
    ``w' = w - (lr/(1-beta1**t)) * v'/(u' + eps)``.  Returns ``(w', v', u')``.
    """
    w, dw, v, u, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, u, t, lr, beta1, beta2, eps, "u")
    v_new = beta1 * v + (1 - beta1) * dw
    u_new = np.maximum(beta2 * u, np.abs(dw))
    w_new = w - (lr / (1 - beta1**t)) * v_new / (u_new + eps)
    return w_new, v_new, u_new


def nadam_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    t: int,
    lr: float = 0.002,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nadam (Dozat's form with constant momentum ``beta1``).

    ``v'``, ``s'``, ``s_hat`` as in Adam;
    ``v_bar = beta1*v'/(1-beta1**(t+1)) + (1-beta1)*dw/(1-beta1**t)``;
    ``w' = w - lr*v_bar/(sqrt(s_hat) + eps)``.  Returns ``(w', v', s')``.
    """
    w, dw, v, s, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, s, t, lr, beta1, beta2, eps, "s")
    v_new = beta1 * v + (1 - beta1) * dw
    s_new = beta2 * s + (1 - beta2) * dw**2
    s_hat = s_new / (1 - beta2**t)
    v_bar = beta1 * v_new / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    w_new = w - lr * v_bar / (np.sqrt(s_hat) + eps)
    return w_new, v_new, s_new


def adamw_update(
    w: np.ndarray,
    dw: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    wd: float = 0.01,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AdamW: decoupled weight decay, then an Adam step.

    ``w <- w*(1 - lr*wd)``, then ``adam_update`` on that ``w`` with the same ``dw``.
    Unlike L2 in the loss, the decay is not divided by ``sqrt(s_hat)``. Returns ``(w', v', s')``.
    """
    w, dw, v, s, t, lr, beta1, beta2, eps = _adam_args(w, dw, v, s, t, lr, beta1, beta2, eps, "s")
    wd = _check.nonnegative("wd", wd)
    if lr * wd >= 1:
        raise ValueError(f"lr*wd must be < 1 (the decay factor 1 - lr*wd must stay positive), got {lr * wd}")
    return adam_update(w * (1 - lr * wd), dw, v, s, t, lr, beta1, beta2, eps)


# --------------------------------------------------------------------------------------------------
# Optimizer classes: the same rules applied in place to a dict of parameters.
#
# Each class updates ``params[key]`` from ``grads["d" + key]`` in place, processing the flattened
# arrays in chunks of ``CHUNK`` elements with in-place ufuncs (``out=``): every temporary lives in
# a small buffer that stays in the CPU cache, so one step streams each array through memory once.
# The arithmetic is the functions' above, written as in-place operations (tested equal to them).
# --------------------------------------------------------------------------------------------------

CHUNK = 16384
"""Elements per chunk (128 KiB of float64): w, dw, two state arrays and the buffers fit in L2."""

PARALLEL_MIN = 1 << 18
"""Parameters with at least this many elements are split over ``Optimizer.threads`` threads."""


@dataclass(frozen=True)
class _Flat:
    """One parameter, flattened: views of ``w``, ``dw`` and its state, and its decay factors."""

    w: np.ndarray
    g: np.ndarray
    state: tuple[np.ndarray, ...]
    decay: float  # L2 through the gradient: dw + decay*w
    shrink: float  # decoupled decay: w *= shrink before the rule


class Optimizer:
    """Base class: ``step(params, grads)`` updates ``params`` in place and returns ``None``.

    State arrays (``slots``) are kept per parameter name and start at zeros; ``t`` counts the
    ``step`` calls (once per call, not per parameter). ``weight_decay`` (default 0) adds L2 through
    the gradient, ``dW + weight_decay*W``, to weights only (keys starting with ``W``; biases never),
    which is ``l2_grads`` with ``weight_decay = lambd/m`` and torch's ``weight_decay``.
    """

    name: str = "optimizer"
    slots: tuple[str, ...] = ()

    def __init__(self, lr: float, weight_decay: float = 0.0) -> None:
        self.lr = _check.positive("lr", lr)
        self.weight_decay = _check.nonnegative("weight_decay", weight_decay)
        self.t = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._buffers: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.threads = max(1, min(2, os.cpu_count() or 1))
        """Worker threads for a parameter of at least ``PARALLEL_MIN`` elements (1 disables)."""

    # -- the per-rule parts -------------------------------------------------------------------------
    def _coefficients(self, t: int) -> tuple[float, ...]:
        """Scalars of this step (bias corrections etc.), computed once per ``step``."""
        return ()

    def _kernel(
        self,
        w: np.ndarray,
        g: np.ndarray,
        state: tuple[np.ndarray, ...],
        tmp: np.ndarray,
        tmp2: np.ndarray,
        c: tuple[float, ...],
    ) -> None:
        """Update the chunk ``w`` (and its ``state``) in place from the gradient chunk ``g``."""
        raise NotImplementedError

    def _shrink(self, key: str) -> float:
        """Factor applied to the parameter before the rule (AdamW's decoupled decay); 1 for none."""
        return 1.0

    # -- the public interface -----------------------------------------------------------------------
    def step(self, params: dict, grads: dict) -> None:
        """One update of every parameter ``params[key]`` from ``grads["d" + key]``."""
        params = _check.mapping("params", params)
        grads = _check.mapping("grads", grads)
        work: list[tuple[str, np.ndarray, np.ndarray]] = []
        for key, p in params.items():
            gkey = "d" + str(key)
            if gkey not in grads:
                raise ValueError(f"grads must have a key {gkey!r} for params[{key!r}]; it has {sorted(grads)}")
            w = _check.array(f"params[{key!r}]", p)  # p itself when it is a float64 array
            g = _check.array(f"grads[{gkey!r}]", grads[gkey])
            if g.shape != w.shape:
                raise ValueError(f"grads[{gkey!r}] must have the shape of params[{key!r}] {w.shape}, got {g.shape}")
            old = self.state.get(key)
            if old and next(iter(old.values())).shape != w.shape:
                raise ValueError(
                    f"params[{key!r}] changed shape from {next(iter(old.values())).shape} to {w.shape} "
                    "since the last step; use a new optimizer"
                )
            work.append((key, w, g))
        self.t += 1
        c = self._coefficients(self.t)
        slots = self.slots
        for key, w, g in work:
            if w is not params[key] or not (w.flags.c_contiguous and w.flags.writeable):
                w = np.array(w, dtype=np.float64, order="C")  # update a copy and rebind the key
                params[key] = w
            state = self.state.get(key)
            if state is None:
                state = {slot: np.zeros(w.shape) for slot in slots}
                self.state[key] = state
            flat_w = w.reshape(-1)
            flat_g = g.reshape(-1) if g.flags.c_contiguous else np.ascontiguousarray(g).reshape(-1)
            flat_state = tuple(state[slot].reshape(-1) for slot in slots)
            decay = self.weight_decay if (self.weight_decay and str(key).startswith("W")) else 0.0
            shrink = self._shrink(str(key))
            n = flat_w.size
            if n <= CHUNK and not decay and shrink == 1.0:  # small parameter: one kernel call
                tmp, tmp2, _ = self._get_buffers(0)
                self._kernel(flat_w, flat_g, flat_state, tmp[:n], tmp2[:n], c)
                continue
            flat = _Flat(w=flat_w, g=flat_g, state=flat_state, decay=decay, shrink=shrink)
            n_threads = min(self.threads, -(-n // CHUNK)) if n >= PARALLEL_MIN else 1
            if n_threads <= 1:
                self._run(flat, 0, n, self._get_buffers(0), c)
            else:
                self._run_threaded(flat, n, n_threads, c)

    def _run(self, f: _Flat, lo: int, hi: int, buffers: tuple[np.ndarray, ...], c: tuple[float, ...]) -> None:
        """Apply the rule to ``[lo, hi)`` of one flattened parameter, chunk by chunk."""
        tmp, tmp2, gbuf = buffers
        kernel = self._kernel
        for a in range(lo, hi, CHUNK):
            b = min(a + CHUNK, hi)
            k = b - a
            w_c = f.w[a:b]
            g_c = f.g[a:b]
            if f.shrink != 1.0:
                w_c *= f.shrink
            if f.decay:
                np.multiply(w_c, f.decay, out=gbuf[:k])
                gbuf[:k] += g_c
                g_c = gbuf[:k]
            kernel(w_c, g_c, tuple(s[a:b] for s in f.state), tmp[:k], tmp2[:k], c)

    def _run_threaded(self, f: _Flat, n: int, n_threads: int, c: tuple[float, ...]) -> None:
        """Split a large parameter into ``n_threads`` spans of whole chunks, one thread each.

        NumPy's ufuncs release the GIL, so the spans run in parallel; each element is computed by
        the same operations as in one thread, so the result does not depend on the split.
        """
        per = -(-n // (n_threads * CHUNK)) * CHUNK
        spans = [(lo, min(lo + per, n)) for lo in range(0, n, per)]
        self._get_buffers(len(spans) - 1)  # allocate every worker's buffers before the threads start
        errors: list[BaseException] = []

        def work(i: int, lo: int, hi: int) -> None:
            try:
                self._run(f, lo, hi, self._get_buffers(i), c)
            except BaseException as exc:  # re-raised in the calling thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i, lo, hi)) for i, (lo, hi) in enumerate(spans) if i]
        for th in threads:
            th.start()
        work(0, *spans[0])
        for th in threads:
            th.join()
        if errors:
            raise errors[0]

    def state_arrays(self) -> dict[str, np.ndarray]:
        """The state, ``{"<param>.<slot>": array}`` (read-only views), e.g. ``{"W1.v": ..., "W1.s": ...}``."""
        out = {}
        for key, state in self.state.items():
            for slot, arr in state.items():
                view = arr.view()
                view.flags.writeable = False
                out[f"{key}.{slot}"] = view
        return out

    def state_bytes(self) -> int:
        """Bytes of optimizer state held (0 before the first step and for SGD)."""
        return sum(arr.nbytes for state in self.state.values() for arr in state.values())

    def _get_buffers(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scratch buffers of one chunk for worker ``i`` (allocated once per optimizer)."""
        while len(self._buffers) <= i:
            self._buffers.append((np.empty(CHUNK), np.empty(CHUNK), np.empty(CHUNK)))
        return self._buffers[i]

    def _hyper(self) -> str:
        return f"lr={self.lr}"

    def __repr__(self) -> str:
        extra = f", weight_decay={self.weight_decay}" if self.weight_decay else ""
        return f"{type(self).__name__}({self._hyper()}{extra})"


class SGD(Optimizer):
    """Plain gradient descent: ``w <- w - lr*dw``. No state."""

    name = "sgd"

    def __init__(self, lr: float, weight_decay: float = 0.0) -> None:
        super().__init__(lr, weight_decay)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        np.multiply(g, self.lr, out=tmp)
        w -= tmp


class Momentum(Optimizer):
    """Momentum: ``v <- beta*v + (1-beta)*dw``; ``w <- w - lr*v`` (:func:`momentum_update`).

    ``bias_correction=True``: ``w <- w - lr*v/(1-beta**t)`` (:func:`momentum_bc_update`).
    """

    name = "momentum"
    slots = ("v",)

    def __init__(
        self, lr: float, beta: float = 0.9, bias_correction: bool = False, weight_decay: float = 0.0
    ) -> None:
        super().__init__(lr, weight_decay)
        self.beta = _check.beta("beta", beta)
        self.bias_correction = bool(bias_correction)

    def _coefficients(self, t: int) -> tuple[float, ...]:
        return (self.lr / (1 - self.beta**t),) if self.bias_correction else (self.lr,)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        (v,) = state
        v *= self.beta
        np.multiply(g, 1 - self.beta, out=tmp)
        v += tmp
        np.multiply(v, c[0], out=tmp)
        w -= tmp

    def _hyper(self) -> str:
        bc = ", bias_correction=True" if self.bias_correction else ""
        return f"lr={self.lr}, beta={self.beta}{bc}"


class Nesterov(Optimizer):
    """Nesterov momentum: ``v <- beta*v + (1-beta)*dw``; ``w <- w - lr*(beta*v + (1-beta)*dw)``."""

    name = "nesterov"
    slots = ("v",)

    def __init__(self, lr: float, beta: float = 0.9, weight_decay: float = 0.0) -> None:
        super().__init__(lr, weight_decay)
        self.beta = _check.beta("beta", beta)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        (v,) = state
        np.multiply(g, 1 - self.beta, out=tmp)
        v *= self.beta
        v += tmp
        np.multiply(v, self.beta, out=tmp2)
        tmp2 += tmp
        tmp2 *= self.lr
        w -= tmp2

    def _hyper(self) -> str:
        return f"lr={self.lr}, beta={self.beta}"


class AdaGrad(Optimizer):
    """AdaGrad: ``cache <- cache + dw**2``; ``w <- w - lr*dw/(sqrt(cache) + eps)``."""

    name = "adagrad"
    slots = ("cache",)

    def __init__(self, lr: float, eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(lr, weight_decay)
        self.eps = _check.nonnegative("eps", eps)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        (cache,) = state
        np.multiply(g, g, out=tmp)
        cache += tmp
        _scaled_step(w, g, cache, tmp, tmp2, self.lr, self.eps)

    def _hyper(self) -> str:
        return f"lr={self.lr}, eps={self.eps}"


class RMSProp(Optimizer):
    """RMSProp: ``cache <- beta*cache + (1-beta)*dw**2``; ``w <- w - lr*dw/(sqrt(cache) + eps)``."""

    name = "rmsprop"
    slots = ("cache",)

    def __init__(
        self, lr: float, beta: float = 0.9, eps: float = 1e-8, weight_decay: float = 0.0
    ) -> None:
        super().__init__(lr, weight_decay)
        self.beta = _check.beta("beta", beta)
        self.eps = _check.nonnegative("eps", eps)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        (cache,) = state
        cache *= self.beta
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.beta
        cache += tmp
        _scaled_step(w, g, cache, tmp, tmp2, self.lr, self.eps)

    def _hyper(self) -> str:
        return f"lr={self.lr}, beta={self.beta}, eps={self.eps}"


def _scaled_step(w, g, cache, tmp, tmp2, lr: float, eps: float) -> None:
    """``w -= lr*g/(sqrt(cache) + eps)`` in place (AdaGrad and RMSProp)."""
    np.sqrt(cache, out=tmp)
    tmp += eps
    np.multiply(g, lr, out=tmp2)
    tmp2 /= tmp
    w -= tmp2


class _AdamFamily(Optimizer):
    slots = ("v", "s")

    def __init__(
        self,
        lr: float,
        beta1: float,
        beta2: float,
        eps: float,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr, weight_decay)
        self.beta1 = _check.beta("beta1", beta1)
        self.beta2 = _check.beta("beta2", beta2)
        self.eps = _check.nonnegative("eps", eps)

    def _moments(self, g, v, s, tmp) -> None:
        """``v <- beta1*v + (1-beta1)*g``; ``s <- beta2*s + (1-beta2)*g**2``."""
        v *= self.beta1
        np.multiply(g, 1 - self.beta1, out=tmp)
        v += tmp
        s *= self.beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.beta2
        s += tmp

    def _hyper(self) -> str:
        return f"lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}"


class Adam(_AdamFamily):
    """Adam (:func:`adam_update`): ``w <- w - lr*v_hat/(sqrt(s_hat) + eps)``.

    In place it computes the same number as ``(lr*sqrt(1-beta2**t)/(1-beta1**t)) * v /
    (sqrt(s) + eps*sqrt(1-beta2**t))`` (the bias corrections folded into two scalars).
    """

    name = "adam"

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, weight_decay)

    def _coefficients(self, t: int) -> tuple[float, ...]:
        root_bc2 = float(np.sqrt(1 - self.beta2**t))
        return (self.lr * root_bc2 / (1 - self.beta1**t), self.eps * root_bc2)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        v, s = state
        self._moments(g, v, s, tmp)
        np.sqrt(s, out=tmp)
        tmp += c[1]
        np.multiply(v, c[0], out=tmp2)
        tmp2 /= tmp
        w -= tmp2


class AdamW(Adam):
    """AdamW (:func:`adamw_update`): ``W <- W*(1 - lr*wd)`` (weights only, keys starting with
    ``W``), then an Adam step. ``wd`` is decoupled decay, not the L2 ``weight_decay`` of the others."""

    name = "adamw"

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        wd: float = 0.01,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps)
        self.wd = _check.nonnegative("wd", wd)
        if self.lr * self.wd >= 1:
            raise ValueError(f"lr*wd must be < 1 (the decay factor 1 - lr*wd must stay positive), got {self.lr * self.wd}")

    def _shrink(self, key: str) -> float:
        return 1 - self.lr * self.wd if (self.wd and key.startswith("W")) else 1.0

    def _hyper(self) -> str:
        return super()._hyper() + f", wd={self.wd}"


class AdaMax(_AdamFamily):
    """AdaMax (:func:`adamax_update`): ``u <- maximum(beta2*u, |dw|)``;
    ``w <- w - (lr/(1-beta1**t)) * v/(u + eps)``."""

    name = "adamax"
    slots = ("v", "u")

    def __init__(
        self,
        lr: float = 0.002,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, weight_decay)

    def _coefficients(self, t: int) -> tuple[float, ...]:
        return (self.lr / (1 - self.beta1**t),)

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        v, u = state
        v *= self.beta1
        np.multiply(g, 1 - self.beta1, out=tmp)
        v += tmp
        u *= self.beta2
        np.abs(g, out=tmp)
        np.maximum(u, tmp, out=u)
        np.add(u, self.eps, out=tmp)
        np.multiply(v, c[0], out=tmp2)
        tmp2 /= tmp
        w -= tmp2


class Nadam(_AdamFamily):
    """Nadam (:func:`nadam_update`, Dozat's form with constant momentum ``beta1``)."""

    name = "nadam"

    def __init__(
        self,
        lr: float = 0.002,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, weight_decay)

    def _coefficients(self, t: int) -> tuple[float, ...]:
        b1 = self.beta1
        root_bc2 = float(np.sqrt(1 - self.beta2**t))
        return (
            b1 / (1 - b1 ** (t + 1)),
            (1 - b1) / (1 - b1**t),
            self.lr * root_bc2,
            self.eps * root_bc2,
        )

    def _kernel(self, w, g, state, tmp, tmp2, c) -> None:
        v, s = state
        self._moments(g, v, s, tmp)
        np.multiply(v, c[0], out=tmp2)
        np.multiply(g, c[1], out=tmp)
        tmp2 += tmp
        tmp2 *= c[2]
        np.sqrt(s, out=tmp)
        tmp += c[3]
        tmp2 /= tmp
        w -= tmp2


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls
    for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam, AdaMax, Nadam, AdamW)
}
"""The optimizer classes by name, in teaching order."""


def make_optimizer(name: str, **hp: Any) -> Optimizer:
    """An optimizer by name (case-insensitive): ``make_optimizer("adam", lr=0.01)``.

    Names: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamax, nadam, adamw.
    Hyper-parameters are the class's keyword arguments; unknown ones raise ``ValueError``.
    """
    if not isinstance(name, str) or name.lower() not in OPTIMIZERS:
        raise ValueError(f"name must be one of {', '.join(OPTIMIZERS)}; got {name!r}")
    cls = OPTIMIZERS[name.lower()]
    accepted = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    unknown = sorted(set(hp) - set(accepted))
    if unknown:
        raise ValueError(f"{cls.__name__} takes {', '.join(accepted)}; got unknown {', '.join(unknown)}")
    try:
        return cls(**hp)
    except TypeError as exc:  # a missing required argument such as lr
        raise ValueError(f"{cls.__name__}: {exc}") from exc
