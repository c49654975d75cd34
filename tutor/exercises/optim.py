"""Cases and known mistakes of the optimizer exercises (lesson 7.4–7.8).

Exercises: ``momentum``, ``adagrad``, ``rmsprop``, ``adam``, ``adamax``, ``nadam`` (one update rule
each, a pure function returning ``(w', state'...)``) and ``optimizer_classes`` (``SGD``,
``Momentum``, ``Adam`` with ``step(params, grads)``).

Every update-rule check holds the edge classes that graders elsewhere miss (shared/oracles.md):
a first step from zero state, tiny gradients (~1e-6) where eps matters, non-default
hyper-parameters (β1=0.8, β2=0.888, ε=1e-2), exact zeros and negative values, 1-D, non-square 2-D
and 4-D shapes, several steps in (non-zero state, t > 1), and at least 8 random cases. The update
``w' − w`` is compared as well as ``w'``.

The mistakes below are what learners really write; each is told apart from the right answer by at
least one case (tests/grading/test_dev_check.py proves it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.grading.cases import (
    Ref,
    call,
    case,
    let,
    log_uniform,
    method,
    new,
    normal,
    positive,
    random_shape,
    snapshot,
    update_case,
    with_zeros,
)

# --------------------------------------------------------------------------- case generation

# How each state array is drawn, relative to the gradient scale g:
#   "avg"  a signed average of gradients (≈ g)          momentum v, Adam v
#   "sq"   an average of squared gradients (≈ g²)       RMSProp cache, Adam s
#   "sum"  a sum of squared gradients (≈ t·g²)          AdaGrad cache
#   "abs"  an infinity norm (≈ |g|)                     AdaMax u
_STATE = {"avg", "sq", "sum", "abs"}


def _state(rng: np.random.Generator, kind: str, shape: tuple[int, ...], g: float, t: int) -> np.ndarray:
    if kind == "avg":
        return normal(rng, shape, g)
    if kind == "sq":
        return positive(rng, shape, g * g)
    if kind == "sum":
        return positive(rng, shape, g * g) * max(1, t)
    if kind == "abs":
        return positive(rng, shape, g)
    raise ValueError(kind)


def _rule_cases(
    rng: np.random.Generator,
    fn: str,
    state: tuple[tuple[str, str], ...],
    *,
    has_t: bool,
    lr_required: bool,
    hp: tuple[str, ...],
    n_random: int = 9,
) -> list[dict[str, Any]]:
    """Edge cases and random cases of one update rule.

    ``state`` lists ``(argument name, kind)``; ``hp`` the hyper-parameters the rule takes besides
    ``lr`` (some of "beta", "beta1", "beta2", "eps").
    """
    cases: list[dict[str, Any]] = []

    def build(
        name: str,
        shape: tuple[int, ...],
        *,
        g: float,
        t: int,
        zero_state: bool,
        hyper: dict[str, Any],
        zeros: bool = False,
        w_scale: float = 1.0,
    ) -> dict[str, Any]:
        w = normal(rng, shape, w_scale)
        dw = normal(rng, shape, g)
        if zeros:
            # exact zeros in w; and entries whose gradient has always been 0 (dw and every
            # state entry 0 there: a state of 0 with a non-zero first moment cannot happen)
            w = with_zeros(rng, w)
            dw = with_zeros(rng, dw)
        kwargs: dict[str, Any] = {"w": w, "dw": dw}
        for arg, kind in state:
            s = np.zeros(shape) if zero_state else _state(rng, kind, shape, g, t)
            if zeros:
                s = np.where(dw == 0, 0.0, s)
            kwargs[arg] = s
        if has_t:
            kwargs["t"] = t
        kwargs.update(hyper)
        return update_case(name, fn, **kwargs)

    lr_default = {"lr": 0.01} if lr_required else {}
    nondefault = {"lr": 0.05}
    for p in hp:
        nondefault[p] = {"beta": 0.8, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2}[p]

    cases.append(build("first step from zero state", (5,), g=1.0, t=1, zero_state=True, hyper=dict(lr_default)))
    cases.append(
        build("tiny gradients (~1e-6), first step", (3, 2), g=1e-6, t=1, zero_state=True, hyper=dict(lr_default))
    )
    cases.append(
        build("tiny gradients (~1e-6), several steps in", (2, 3), g=1e-6, t=6, zero_state=False, hyper=dict(lr_default))
    )
    cases.append(
        build(
            "non-default hyper-parameters " + ", ".join(f"{k}={v}" for k, v in nondefault.items()),
            (2, 3),
            g=0.5,
            t=4,
            zero_state=False,
            hyper=dict(nondefault),
        )
    )
    cases.append(
        build(
            "negative values and exact zeros",
            (7,),
            g=1.0,
            t=3,
            zero_state=False,
            zeros=True,
            hyper=dict(lr_default),
        )
    )
    cases.append(
        build("4-D arrays, several steps in", (2, 1, 2, 3), g=2.0, t=25, zero_state=False, hyper={"lr": 0.003})
    )
    # the state passed by reference and looked at after the call: a rule that updates it in place
    # returns the right values but has changed the caller's arrays
    ref_shape = (3, 2)
    ref_kwargs: dict[str, Any] = {"w": normal(rng, ref_shape), "dw": normal(rng, ref_shape, 0.5)}
    ref_ops = []
    for arg, kind in state:
        ref_ops.append(let(arg, _state(rng, kind, ref_shape, 0.5, 4)))
        ref_kwargs[arg] = Ref(arg)
    if has_t:
        ref_kwargs["t"] = 4
    ref_kwargs.update(lr_default)
    ref_ops.append(call(fn, "result", **ref_kwargs))
    ref_ops += [snapshot(arg, f"the caller's {arg} after the call") for arg, _ in state]
    cases.append(case("the caller's state arrays are left unchanged", *ref_ops, updates={"result[0]": "w"}))
    if has_t:
        cases.append(
            build("late step (t = 2000)", (4, 1), g=0.1, t=2000, zero_state=False, hyper={"lr": 0.002})
        )

    for i in range(n_random):
        shape = random_shape(rng)
        g = log_uniform(rng, 1e-6, 10.0)
        zero_state = bool(rng.random() < 0.2)
        t = 1 if zero_state else int(rng.choice([2, 3, 5, 10, 40, 300]))
        hyper: dict[str, Any] = {}
        if lr_required or rng.random() < 0.6:
            hyper["lr"] = round(log_uniform(rng, 1e-4, 0.3), 6)
        for p in hp:
            if rng.random() < 0.5:
                if p == "eps":
                    hyper[p] = float(rng.choice([1e-8, 1e-6, 1e-4, 1e-2]))
                elif p == "beta2":
                    hyper[p] = round(float(rng.uniform(0.8, 0.9999)), 4)
                else:
                    hyper[p] = round(float(rng.uniform(0.5, 0.99)), 3)
        w_scale = log_uniform(rng, 0.1, 10.0)
        cases.append(
            build(f"random {i + 1}: shape {shape}, |dw| ~ {g:.0e}, t = {t}" if has_t else f"random {i + 1}: shape {shape}, |dw| ~ {g:.0e}",
                  shape, g=g, t=t, zero_state=zero_state, hyper=hyper, w_scale=w_scale)
        )
    return cases


def momentum_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _rule_cases(rng, "momentum_update", (("v", "avg"),), has_t=False, lr_required=True, hp=("beta",))


def adagrad_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _rule_cases(rng, "adagrad_update", (("cache", "sum"),), has_t=False, lr_required=True, hp=("eps",))


def rmsprop_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _rule_cases(
        rng, "rmsprop_update", (("cache", "sq"),), has_t=False, lr_required=True, hp=("beta", "eps")
    )


def adam_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _rule_cases(
        rng,
        "adam_update",
        (("v", "avg"), ("s", "sq")),
        has_t=True,
        lr_required=False,
        hp=("beta1", "beta2", "eps"),
    )


def adamax_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _rule_cases(
        rng,
        "adamax_update",
        (("v", "avg"), ("u", "abs")),
        has_t=True,
        lr_required=False,
        hp=("beta1", "beta2", "eps"),
    )


def nadam_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _rule_cases(
        rng,
        "nadam_update",
        (("v", "avg"), ("s", "sq")),
        has_t=True,
        lr_required=False,
        hp=("beta1", "beta2", "eps"),
    )


# --------------------------------------------------------------------------- momentum mistakes


def momentum_no_one_minus_beta(w, dw, v, lr, beta=0.9):
    """``v' = beta*v + dw`` (the (1−β) factor forgotten)."""
    v = beta * v + dw
    return w - lr * v, v


def momentum_swapped_beta(w, dw, v, lr, beta=0.9):
    """``v' = (1−beta)*v + beta*dw`` (the weights of the average swapped)."""
    v = (1 - beta) * v + beta * dw
    return w - lr * v, v


def momentum_old_velocity(w, dw, v, lr, beta=0.9):
    """``w' = w − lr*v`` with the *old* velocity (the parameter updated before the average)."""
    w_new = w - lr * v
    v = beta * v + (1 - beta) * dw
    return w_new, v


def momentum_sutskever_form(w, dw, v, lr, beta=0.9):
    """``v' = beta*v − lr*dw; w' = w + v'`` (the other textbook form, not this course's)."""
    v = beta * v - lr * dw
    return w + v, v


def momentum_lr_in_velocity(w, dw, v, lr, beta=0.9):
    """``v' = beta*v + lr*dw; w' = w − v'`` (the velocity holds the step, sign flipped from Keras's)."""
    v = beta * v + lr * dw
    return w - v, v


def momentum_lr_inside_average(w, dw, v, lr, beta=0.9):
    """``v' = beta*v + (1−beta)*lr*dw; w' = w − v'``: the step is right, the returned velocity is lr×."""
    v = beta * v + (1 - beta) * lr * dw
    return w - v, v


def momentum_hard_coded_beta(w, dw, v, lr, beta=0.9):
    """``0.9`` written in the body: the ``beta`` argument is ignored."""
    v = 0.9 * v + 0.1 * dw
    return w - lr * v, v


def momentum_nesterov_sutskever(w, dw, v, lr, beta=0.9):
    """CS231n notes' Nesterov: ``v' = beta*v − lr*dw; w' = w − beta*v + (1 + beta)*v'``."""
    v_prev = v
    v = beta * v - lr * dw
    return w - beta * v_prev + (1 + beta) * v, v


# --------------------------------------------------------------------------- AdaGrad mistakes


def adagrad_eps_inside_sqrt(w, dw, cache, lr, eps=1e-8):
    """``sqrt(cache' + eps)`` instead of ``sqrt(cache') + eps``."""
    cache = cache + dw**2
    return w - lr * dw / np.sqrt(cache + eps), cache


def adagrad_with_decay(w, dw, cache, lr, eps=1e-8):
    """A decaying average ``0.9*cache + 0.1*dw²`` (that is RMSProp, not AdaGrad)."""
    cache = 0.9 * cache + 0.1 * dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def adagrad_old_cache(w, dw, cache, lr, eps=1e-8):
    """The step divides by the *old* cache (the cache updated after the parameter)."""
    w_new = w - lr * dw / (np.sqrt(cache) + eps)
    return w_new, cache + dw**2


def adagrad_no_sqrt(w, dw, cache, lr, eps=1e-8):
    """``dw/(cache' + eps)``: the square root forgotten."""
    cache = cache + dw**2
    return w - lr * dw / (cache + eps), cache


def adagrad_abs_not_square(w, dw, cache, lr, eps=1e-8):
    """``cache' = cache + |dw|``: absolute values summed instead of squares."""
    cache = cache + np.abs(dw)
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def adagrad_returns_old_cache(w, dw, cache, lr, eps=1e-8):
    """The step is right but the *old* cache is returned as the new state."""
    new_cache = cache + dw**2
    return w - lr * dw / (np.sqrt(new_cache) + eps), cache


def adagrad_hard_coded_eps(w, dw, cache, lr, eps=1e-8):
    """``1e-8`` written in the body: the ``eps`` argument is ignored."""
    cache = cache + dw**2
    return w - lr * dw / (np.sqrt(cache) + 1e-8), cache


def adagrad_fixed_eps_inside_sqrt(w, dw, cache, lr, eps=1e-8):
    """d2l's printed form: ``sqrt(cache' + 1e-6)`` with its own fixed eps."""
    cache = cache + dw**2
    return w - lr * dw / np.sqrt(cache + 1e-6), cache


# --------------------------------------------------------------------------- RMSProp mistakes


def rmsprop_eps_inside_sqrt(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``sqrt(cache' + eps)`` (Keras's form) instead of ``sqrt(cache') + eps``."""
    cache = beta * cache + (1 - beta) * dw**2
    return w - lr * dw / np.sqrt(cache + eps), cache


def rmsprop_no_one_minus_beta(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``cache' = beta*cache + dw²`` (the (1−β) factor forgotten)."""
    cache = beta * cache + dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def rmsprop_swapped_beta(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``cache' = (1−beta)*cache + beta*dw²`` (the weights of the average swapped)."""
    cache = (1 - beta) * cache + beta * dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def rmsprop_old_cache(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """The step divides by the *old* cache."""
    w_new = w - lr * dw / (np.sqrt(cache) + eps)
    return w_new, beta * cache + (1 - beta) * dw**2


def rmsprop_adagrad_sum(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``cache' = cache + dw²``: AdaGrad's sum instead of a decaying average."""
    cache = cache + dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def rmsprop_no_sqrt(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``dw/(cache' + eps)``: the square root forgotten."""
    cache = beta * cache + (1 - beta) * dw**2
    return w - lr * dw / (cache + eps), cache


def rmsprop_hard_coded(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``0.9`` and ``1e-8`` written in the body: ``beta`` and ``eps`` are ignored."""
    cache = 0.9 * cache + 0.1 * dw**2
    return w - lr * dw / (np.sqrt(cache) + 1e-8), cache


def rmsprop_hard_coded_beta(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``0.9*cache + 0.1*dw²`` written in (Hinton's slide): the ``beta`` argument ignored, ``eps`` used."""
    cache = 0.9 * cache + 0.1 * dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


# --------------------------------------------------------------------------- Adam mistakes


def adam_returns_corrected_moments(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Returns ``v_hat, s_hat`` as the new state (the correction then compounds every step)."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v_hat, s_hat


def adam_eps_inside_sqrt(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """``sqrt(s_hat + eps)`` instead of ``sqrt(s_hat) + eps``."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * v_hat / np.sqrt(s_hat + eps), v, s


def adam_t_zero_based(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Corrects with ``1 − β**(t+1)`` as if ``t`` started at 0."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1 ** (t + 1))
    s_hat = s / (1 - beta2 ** (t + 1))
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def adam_no_bias_correction(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Uses ``v'`` and ``s'`` directly, without bias correction."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    return w - lr * v / (np.sqrt(s) + eps), v, s


def adam_no_one_minus_beta1(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """``v' = beta1*v + dw`` (the (1−β1) factor forgotten in the first moment)."""
    v = beta1 * v + dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def adam_eps_hat(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma & Ba's "efficient" form (TF/Keras): the corrections folded into the step size and
    ε added to ``sqrt(s')`` (uncorrected), i.e. ε̂ = ε instead of ε·sqrt(1 − β2**t)."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return w - lr_t * v / (np.sqrt(s) + eps), v, s


def adam_only_v_corrected(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """``v'`` is bias-corrected, ``s'`` is not."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1**t)
    return w - lr * v_hat / (np.sqrt(s) + eps), v, s


def adam_hard_coded(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """The default values written in the body: ``lr``, ``beta1``, ``beta2``, ``eps`` are ignored."""
    v = 0.9 * v + 0.1 * dw
    s = 0.999 * s + 0.001 * dw**2
    v_hat = v / (1 - 0.9**t)
    s_hat = s / (1 - 0.999**t)
    return w - 0.001 * v_hat / (np.sqrt(s_hat) + 1e-8), v, s


def adam_correction_without_t(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """``v'/(1 − beta1)`` and ``s'/(1 − beta2)``: the power ``t`` forgotten in the bias correction."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1)
    s_hat = s / (1 - beta2)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def adam_keras_epsilon(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Keras's documented form with Keras's default ε = 1e-7 written in (the ``eps`` argument ignored)."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return w - lr_t * v / (np.sqrt(s) + 1e-7), v, s


# --------------------------------------------------------------------------- AdaMax mistakes


def adamax_no_max(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' = beta2*u + (1−beta2)*|dw|``: an average of |dw| instead of the infinity norm."""
    v = beta1 * v + (1 - beta1) * dw
    u = beta2 * u + (1 - beta2) * np.abs(dw)
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


def adamax_beta2_on_gradient(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' = max(beta2*u, beta2*|dw|)``: β2 applied to the new gradient too."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, beta2 * np.abs(dw))
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


def adamax_no_bias_correction(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``w' = w − lr*v'/(u' + eps)``: the step size not divided by ``1 − β1**t``."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw))
    return w - lr * v / (u + eps), v, u


def adamax_eps_inside_max(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' = max(beta2*u, |dw| + eps)`` and no eps in the denominator (PyTorch's form)."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw) + eps)
    return w - (lr / (1 - beta1**t)) * v / u, v, u


def adamax_no_beta2_decay(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' = max(u, |dw|)``: the old norm never decays (β2 forgotten)."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(u, np.abs(dw))
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


def adamax_u_bias_corrected(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' / (1 − β2**t)`` in the step, by analogy with Adam's ``s_hat``."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw))
    u_hat = u / (1 - beta2**t)
    return w - (lr / (1 - beta1**t)) * v / (u_hat + eps), v, u


def adamax_hard_coded(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """The default values written in the body: ``lr``, ``beta1``, ``beta2``, ``eps`` are ignored."""
    v = 0.9 * v + 0.1 * dw
    u = np.maximum(0.999 * u, np.abs(dw))
    return w - (0.002 / (1 - 0.9**t)) * v / (u + 1e-8), v, u


# --------------------------------------------------------------------------- Nadam mistakes


def nadam_t_in_first_term(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``beta1*v'/(1 − beta1**t)`` in the first term (instead of ``t+1``), as in many blog posts."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1**t) + (1 - beta1) * dw / (1 - beta1**t)
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v, s


def nadam_plain_adam(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """An Adam step (``v_hat`` in place of the look-ahead ``v_bar``)."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def nadam_eps_inside_sqrt(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``sqrt(s_hat + eps)`` instead of ``sqrt(s_hat) + eps``."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    return w - lr * v_bar / np.sqrt(s_hat + eps), v, s


def nadam_gradient_term_without_one_minus_beta1(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``… + dw/(1 − beta1**t)``: the (1−β1) factor forgotten in the gradient term."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + dw / (1 - beta1**t)
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v, s


def nadam_returns_look_ahead(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """Returns ``v_bar`` and ``s_hat`` as the new state instead of ``v'`` and ``s'``."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v_bar, s_hat


def nadam_old_v_in_look_ahead(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``beta1*v/(1 − beta1**(t+1))`` with the *old* ``v`` in the look-ahead."""
    v_new = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v_new, s


def nadam_t_plus_one_in_gradient_term(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``(1 − beta1)*dw/(1 − beta1**(t+1))``: the gradient term corrected with ``t+1`` too."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1 ** (t + 1))
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v, s


def nadam_hard_coded(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """The default values written in the body: ``lr``, ``beta1``, ``beta2``, ``eps`` are ignored."""
    v = 0.9 * v + 0.1 * dw
    s = 0.999 * s + 0.001 * dw**2
    s_hat = s / (1 - 0.999**t)
    v_bar = 0.9 * v / (1 - 0.9 ** (t + 1)) + 0.1 * dw / (1 - 0.9**t)
    return w - 0.002 * v_bar / (np.sqrt(s_hat) + 1e-8), v, s


# --------------------------------------------------------------------------- optimizer classes

_CLASS_HP = {
    "SGD": ({"lr": 0.1}, {"lr": 0.03}),
    "Momentum": ({"lr": 0.1}, {"lr": 0.05, "beta": 0.8}),
    "Adam": ({}, {"lr": 0.01, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2}),
}


def _trajectory(
    name: str,
    cls: str,
    hyper: dict[str, Any],
    params: dict[str, np.ndarray],
    grads: list[dict[str, np.ndarray]],
) -> dict[str, Any]:
    """``opt = cls(**hyper)``; ``params`` stepped once per gradient dict, snapshot after each step.

    Outputs ``"after step k"`` (k = 1…) and ``"step k returned"`` (the contract: ``None``);
    updates compare each step's change of every parameter.
    """
    ops = [new(cls, "opt", **hyper), let("params", params), snapshot("params", "after step 0")]
    updates = {}
    for k, g in enumerate(grads, start=1):
        ops.append(method("opt", "step", out=f"step {k} returned", params=Ref("params"), grads=g))
        ops.append(snapshot("params", f"after step {k}"))
        updates[f"after step {k}"] = f"out:after step {k - 1}"
    return case(name, *ops, updates=updates)


def _params(rng: np.random.Generator, shapes: dict[str, tuple[int, ...]], scale: float = 1.0) -> dict[str, np.ndarray]:
    return {key: normal(rng, shape, scale) for key, shape in shapes.items()}


def _grads(rng: np.random.Generator, shapes: dict[str, tuple[int, ...]], g: float) -> dict[str, np.ndarray]:
    return {"d" + key: normal(rng, shape, g) for key, shape in shapes.items()}


def optimizer_classes_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Trajectories of several ``step`` calls on two or more parameter arrays, per class."""
    net = {"W1": (3, 2), "b1": (2,), "W2": (2, 4), "b2": (4,)}
    same = {"W1": (2, 3), "W2": (2, 3)}  # same shapes: shared state would not raise
    cases = []
    for cls, (default_hp, other_hp) in _CLASS_HP.items():
        cases.append(
            _trajectory(
                f"{cls}: 4 steps on a 2-layer network",
                cls,
                default_hp,
                _params(rng, net),
                [_grads(rng, net, 1.0) for _ in range(4)],
            )
        )
        cases.append(
            _trajectory(
                f"{cls}: 3 steps, two parameters of the same shape, non-default hyper-parameters",
                cls,
                other_hp,
                _params(rng, same),
                [_grads(rng, same, 0.5) for _ in range(3)],
            )
        )
    # tiny gradients and a 4-D parameter, for Adam where eps matters
    conv = {"W1": (2, 1, 2, 3), "b1": (2,)}
    cases.append(
        _trajectory("Adam: tiny gradients (~1e-6), 4-D weights, 3 steps", "Adam", {"lr": 0.01},
                    _params(rng, conv), [_grads(rng, conv, 1e-6) for _ in range(3)])
    )
    # random trajectories
    for i in range(9):
        cls = ("SGD", "Momentum", "Adam")[i % 3]
        n_layers = int(rng.integers(1, 3))
        shapes: dict[str, tuple[int, ...]] = {}
        for layer in range(1, n_layers + 1):
            shapes[f"W{layer}"] = random_shape(rng, ("2d",))
            shapes[f"b{layer}"] = (shapes[f"W{layer}"][-1],)
        g = log_uniform(rng, 1e-4, 3.0)
        hyper = dict(_CLASS_HP[cls][0])
        if rng.random() < 0.5:
            hyper["lr"] = round(log_uniform(rng, 1e-3, 0.3), 5)
        if cls == "Momentum" and rng.random() < 0.5:
            hyper["beta"] = round(float(rng.uniform(0.5, 0.99)), 3)
        if cls == "Adam" and rng.random() < 0.5:
            hyper["beta1"] = round(float(rng.uniform(0.5, 0.95)), 3)
            hyper["beta2"] = round(float(rng.uniform(0.8, 0.9999)), 4)
        steps = int(rng.integers(2, 6))
        cases.append(
            _trajectory(
                f"random {i + 1}: {cls}, {steps} steps on {', '.join(shapes)}",
                cls,
                hyper,
                _params(rng, shapes, log_uniform(rng, 0.1, 5.0)),
                [_grads(rng, shapes, g) for _ in range(steps)],
            )
        )
    return cases


class AdamTPerParameter:
    """Adam whose ``t`` is incremented once per parameter instead of once per ``step``."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        for key in params:
            self.t += 1
            dw = grads["d" + key]
            v = self.beta1 * self.v.get(key, 0.0) + (1 - self.beta1) * dw
            s = self.beta2 * self.s.get(key, 0.0) + (1 - self.beta2) * dw**2
            self.v[key], self.s[key] = v, s
            v_hat = v / (1 - self.beta1**self.t)
            s_hat = s / (1 - self.beta2**self.t)
            params[key] = params[key] - self.lr * v_hat / (np.sqrt(s_hat) + self.eps)


class AdamSharedState:
    """Adam with one ``v`` and one ``s`` shared by every parameter (not kept per name)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = 0.0, 0.0, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            self.v = self.beta1 * self.v + (1 - self.beta1) * dw
            self.s = self.beta2 * self.s + (1 - self.beta2) * dw**2
            v_hat = self.v / (1 - self.beta1**self.t)
            s_hat = self.s / (1 - self.beta2**self.t)
            params[key] = params[key] - self.lr * v_hat / (np.sqrt(s_hat) + self.eps)


class MomentumNoOneMinusBeta:
    """Momentum with ``v = beta*v + dw`` (the (1−β) factor forgotten)."""

    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, {}

    def step(self, params, grads):
        for key in params:
            v = self.beta * self.v.get(key, 0.0) + grads["d" + key]
            self.v[key] = v
            params[key] = params[key] - self.lr * v


class MomentumStartsAtGradient:
    """Momentum whose first velocity is the raw gradient (PyTorch's buffer), not an average from 0."""

    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v = lr, beta, {}

    def step(self, params, grads):
        for key in params:
            dw = grads["d" + key]
            v = dw.copy() if key not in self.v else self.beta * self.v[key] + (1 - self.beta) * dw
            self.v[key] = v
            params[key] = params[key] - self.lr * v


class SGDRebindsLocal:
    """SGD that assigns the new value to a local name, so ``params`` never changes."""

    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for key, w in params.items():
            w = w - self.lr * grads["d" + key]  # noqa: F841 - the mistake


class AdamEpsHat:
    """Adam in Kingma & Ba's "efficient" form (TF/Keras): ``lr_t = lr*sqrt(1 − β2**t)/(1 − β1**t)``,
    ``w −= lr_t*v/(sqrt(s) + eps)`` — ε added to the uncorrected root."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        for key in params:
            dw = grads["d" + key]
            v = self.beta1 * self.v.get(key, 0.0) + (1 - self.beta1) * dw
            s = self.beta2 * self.s.get(key, 0.0) + (1 - self.beta2) * dw**2
            self.v[key], self.s[key] = v, s
            params[key] = params[key] - lr_t * v / (np.sqrt(s) + self.eps)


class AdamCorrectedState:
    """Adam that stores the bias-corrected moments as its state."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            v = self.beta1 * self.v.get(key, 0.0) + (1 - self.beta1) * dw
            s = self.beta2 * self.s.get(key, 0.0) + (1 - self.beta2) * dw**2
            v = v / (1 - self.beta1**self.t)
            s = s / (1 - self.beta2**self.t)
            self.v[key], self.s[key] = v, s
            params[key] = params[key] - self.lr * v / (np.sqrt(s) + self.eps)


class SGDMinusSign:
    """SGD that adds the gradient: ``w + lr*dw`` (ascent)."""

    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for key in params:
            params[key] = params[key] + self.lr * grads["d" + key]


def momentum_nesterov(w, dw, v, lr, beta=0.9):
    """Nesterov's look-ahead ``w' = w − lr*(beta*v' + (1−beta)*dw)`` instead of plain momentum."""
    v = beta * v + (1 - beta) * dw
    return w - lr * (beta * v + (1 - beta) * dw), v


# --------------------------------------------------------------------------- state changed in place


def momentum_in_place(w, dw, v, lr, beta=0.9):
    """``v *= beta; v += (1−beta)*dw``: the right values, but the caller's ``v`` is changed."""
    v *= beta
    v += (1 - beta) * dw
    return w - lr * v, v


def adagrad_in_place(w, dw, cache, lr, eps=1e-8):
    """``cache += dw**2``: the right values, but the caller's ``cache`` is changed."""
    cache += dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def rmsprop_in_place(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """``cache *= beta; cache += (1−beta)*dw**2``: the caller's ``cache`` is changed."""
    cache *= beta
    cache += (1 - beta) * dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), cache


def adam_in_place(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """The moments updated in place (``v *= beta1; v += …``): the caller's ``v`` and ``s`` are changed."""
    v *= beta1
    v += (1 - beta1) * dw
    s *= beta2
    s += (1 - beta2) * dw**2
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def adamax_in_place(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``v`` and ``u`` updated in place (``np.maximum(..., out=u)``): the caller's arrays are changed."""
    v *= beta1
    v += (1 - beta1) * dw
    np.maximum(beta2 * u, np.abs(dw), out=u)
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


def nadam_in_place(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """The moments updated in place: the caller's ``v`` and ``s`` are changed."""
    v *= beta1
    v += (1 - beta1) * dw
    s *= beta2
    s += (1 - beta2) * dw**2
    s_hat = s / (1 - beta2**t)
    v_bar = beta1 * v / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    return w - lr * v_bar / (np.sqrt(s_hat) + eps), v, s


def adamax_t_zero_based(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """The step size divided by ``1 − beta1**(t+1)``, as if ``t`` started at 0."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw))
    return w - (lr / (1 - beta1 ** (t + 1))) * v / (u + eps), v, u


class AdamCorrectionWithoutT:
    """Adam whose bias correction divides by ``1 − β1`` and ``1 − β2`` (the power ``t`` forgotten)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s = {}, {}

    def step(self, params, grads):
        for key in params:
            dw = grads["d" + key]
            v = self.beta1 * self.v.get(key, 0.0) + (1 - self.beta1) * dw
            s = self.beta2 * self.s.get(key, 0.0) + (1 - self.beta2) * dw**2
            self.v[key], self.s[key] = v, s
            v_hat = v / (1 - self.beta1)
            s_hat = s / (1 - self.beta2)
            params[key] = params[key] - self.lr * v_hat / (np.sqrt(s_hat) + self.eps)


def nadam_torch_momentum_schedule(w, dw, v, s, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """PyTorch's NAdam: the momentum schedule ``mu_t = beta1*(1 − 0.5*0.96**(t*0.004))`` (momentum_decay)."""
    def mu(i):
        return beta1 * (1.0 - 0.5 * 0.96 ** (i * 4e-3))
    mu_product = 1.0
    for i in range(1, t + 1):
        mu_product *= mu(i)
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw**2
    denom = np.sqrt(s / (1 - beta2**t)) + eps
    w = w - lr * (1 - mu(t)) / (1 - mu_product) * dw / denom
    w = w - lr * mu(t + 1) / (1 - mu_product * mu(t + 1)) * v / denom
    return w, v, s


def momentum_swapped_return(w, dw, v, lr, beta=0.9):
    """Returns ``(v', w')``: the two results in the wrong order."""
    v = beta * v + (1 - beta) * dw
    return v, w - lr * v


def adagrad_swapped_return(w, dw, cache, lr, eps=1e-8):
    """Returns ``(cache', w')``: the two results in the wrong order."""
    cache = cache + dw**2
    return cache, w - lr * dw / (np.sqrt(cache) + eps)


def rmsprop_swapped_return(w, dw, cache, lr, beta=0.9, eps=1e-8):
    """Returns ``(cache', w')``: the two results in the wrong order."""
    cache = beta * cache + (1 - beta) * dw**2
    return cache, w - lr * dw / (np.sqrt(cache) + eps)


class AdamEpsInsideSqrt:
    """Adam with ``sqrt(s_hat + eps)`` instead of ``sqrt(s_hat) + eps``."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.v, self.s, self.t = {}, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            dw = grads["d" + key]
            v = self.beta1 * self.v.get(key, 0.0) + (1 - self.beta1) * dw
            s = self.beta2 * self.s.get(key, 0.0) + (1 - self.beta2) * dw**2
            self.v[key], self.s[key] = v, s
            v_hat = v / (1 - self.beta1**self.t)
            s_hat = s / (1 - self.beta2**self.t)
            params[key] = params[key] - self.lr * v_hat / np.sqrt(s_hat + self.eps)


def adamax_no_eps(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``v'/u'`` with no ε (Kingma & Ba's Algorithm 2 as printed): 0/0 where a gradient has always been 0."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw))
    with np.errstate(all="ignore"):
        return w - (lr / (1 - beta1**t)) * v / u, v, u


def adamax_adam_default_lr(w, dw, v, u, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """The right rule with Adam's default ``lr=0.001`` in the signature instead of AdaMax's 0.002."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, np.abs(dw))
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


def momentum_returns_step(w, dw, v, lr, beta=0.9):
    """Returns the step ``−lr*v'`` instead of the new parameter ``w − lr*v'``."""
    v = beta * v + (1 - beta) * dw
    return -lr * v, v


def adam_abs_not_square(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """``s' = beta2*s + (1−beta2)*|dw|``: absolute values averaged instead of squares."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * np.abs(dw)
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def adam_beta1_in_s(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """The second moment (and its correction) built with ``beta1`` instead of ``beta2``."""
    v = beta1 * v + (1 - beta1) * dw
    s = beta1 * s + (1 - beta1) * dw**2
    v_hat = v / (1 - beta1**t)
    s_hat = s / (1 - beta1**t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s


def adamax_one_minus_beta2_on_gradient(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' = max(beta2*u, (1−beta2)*|dw|)``: Adam's weight on the new gradient carried into the max."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, (1 - beta2) * np.abs(dw))
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


def adamax_no_abs(w, dw, v, u, t, lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8):
    """``u' = max(beta2*u, dw)``: the absolute value forgotten, so negative gradients never count."""
    v = beta1 * v + (1 - beta1) * dw
    u = np.maximum(beta2 * u, dw)
    return w - (lr / (1 - beta1**t)) * v / (u + eps), v, u


class MomentumBiasCorrected:
    """Momentum whose step divides by ``1 − beta**t`` (the bias-corrected variant, not this contract's)."""

    def __init__(self, lr, beta=0.9):
        self.lr, self.beta, self.v, self.t = lr, beta, {}, 0

    def step(self, params, grads):
        self.t += 1
        for key in params:
            v = self.beta * self.v.get(key, 0.0) + (1 - self.beta) * grads["d" + key]
            self.v[key] = v
            params[key] = params[key] - self.lr * v / (1 - self.beta**self.t)
