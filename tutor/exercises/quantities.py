"""The named quantities of each exercise's formula, as the reference computes them (issue 14).

An exercise file lists them under ``quantities:`` (``{call: adam_update, impl:
tutor.exercises.quantities.adam_update}``). Each function here takes the call's keyword arguments
(for a method: the reference object as it is before the call, then the arguments), with the
defaults of the contract's signature, and returns ``tutor.grading.cases.Quantity`` records in the
formula's order. ``variants`` are the wrong versions learners really compute (the catalogue of
``mistakes:`` in the learner's terms): a learner value equal to one is explained in one line,
"your v̂ equals v′ / (1 − β₁^(t+1))". ``output`` marks a quantity the call returns (``"[1]"``: the
new state), compared with what the learner returned there.

Only called in the trusted parent, on copies (an ``rng`` argument is a copy of the generator in the
state the call gets, so a mask here is the reference's mask for that call).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tutor.grading.cases import Quantity

# --------------------------------------------------------------------------- shared pieces


def _update(w: np.ndarray, step: np.ndarray, formula: str, needs: tuple[str, ...],
            variants: tuple[tuple[str, np.ndarray], ...] = (), out: str = "[0]") -> list[Quantity]:
    """``step`` (looked for among the learner's values) and ``w′ = w − step`` (returned)."""
    return [
        Quantity("step", step, formula, needs, variants),
        Quantity("w′", w - step, "w − step", ("step",),
                 tuple((f"w − {text}", w - value) for text, value in variants)
                 + (("w + step (the step added: the sign is wrong)", w + step),), out, "w"),
    ]


def _fixed(sym: str, arg: str, default: float) -> str:
    """The words for a hyper-parameter written in the code (the same in every case, so the
    explanation can be confirmed on several failing cases)."""
    return f"{sym} = {default:g} written in your code, where the check passes another {arg}: use the {arg} argument"


def _first_moment(v: np.ndarray, dw: np.ndarray, b1: float, sym: str = "β₁", out: str = "[1]",
                  arg: str = "beta1", default: float = 0.9) -> Quantity:
    variants = [
        (f"{sym}·v + g (the (1 − {sym}) factor left out)", b1 * v + dw),
        (f"(1 − {sym})·v + {sym}·g ({sym} and 1 − {sym} swapped)", (1 - b1) * v + b1 * dw),
        (f"{sym}·v − (1 − {sym})·g (the sign of g flipped)", b1 * v - (1 - b1) * dw),
    ]
    if b1 != default:
        variants.append((f"{default:g}·v + {1 - default:g}·g: " + _fixed(sym, arg, default),
                         default * v + (1 - default) * dw))
    return Quantity("v′", b1 * v + (1 - b1) * dw, f"{sym}·v + (1 − {sym})·g", (), tuple(variants), out)


def _second_moment(s: np.ndarray, dw: np.ndarray, b2: float, name: str = "s′", sym: str = "β₂",
                   out: str = "[2]", arg: str = "beta2", default: float = 0.999) -> Quantity:
    variants = [
        (f"{sym}·s + (1 − {sym})·g (g not squared)", b2 * s + (1 - b2) * dw),
        (f"{sym}·s + (1 − {sym})·|g| (|g| instead of g²)", b2 * s + (1 - b2) * np.abs(dw)),
        (f"{sym}·s + g² (the (1 − {sym}) factor left out)", b2 * s + dw**2),
        (f"(1 − {sym})·s + {sym}·g² ({sym} and 1 − {sym} swapped)", (1 - b2) * s + b2 * dw**2),
    ]
    if b2 != default:
        variants.append((f"{default:g}·s + {1 - default:g}·g²: " + _fixed(sym, arg, default),
                         default * s + (1 - default) * dw**2))
    return Quantity(name, b2 * s + (1 - b2) * dw**2, f"{sym}·s + (1 − {sym})·g²", (), tuple(variants), out)


# --------------------------------------------------------------------------- update rules


def momentum_update(w: Any, dw: Any, v: Any, lr: float, beta: float = 0.9) -> list[Quantity]:
    """``v′ = βv + (1 − β)g``; ``w′ = w − lr·v′``."""
    v_new = beta * v + (1 - beta) * dw
    velocity = Quantity(
        "v′", v_new, "β·v + (1 − β)·g", (),
        (
            ("β·v + g (the (1 − β) factor left out)", beta * v + dw),
            ("β·v + lr·g (the velocity of the lr-inside convention: here lr multiplies v′ in w′)", beta * v + lr * dw),
            ("β·v − lr·g (the velocity of the lr-inside convention, sign flipped)", beta * v - lr * dw),
            ("(1 − β)·v + β·g (β and 1 − β swapped)", (1 - beta) * v + beta * dw),
            *((("0.9·v + 0.1·g: " + _fixed("β", "beta", 0.9), 0.9 * v + 0.1 * dw),) if beta != 0.9 else ()),
        ),
        "[1]",
    )
    return [velocity, *_update(w, lr * v_new, "lr·v′", ("v′",), (
        ("v′ (lr left out of the step)", v_new),
        ("lr·g (plain SGD: the velocity is not used)", lr * dw),
        ("lr·v (the old velocity)", lr * v),
    ))]


def adagrad_update(w: Any, dw: Any, cache: Any, lr: float, eps: float = 1e-8) -> list[Quantity]:
    """``cache′ = cache + g²``; ``w′ = w − lr·g/(√cache′ + ε)``."""
    c_new = cache + dw**2
    state = Quantity(
        "cache′", c_new, "cache + g²", (),
        (
            ("cache + g (g not squared)", cache + dw),
            ("cache + |g| (|g| instead of g²)", cache + np.abs(dw)),
            ("g² (the history of past gradients dropped)", dw**2),
        ),
        "[1]",
    )
    return [state, *_update(w, lr * dw / (np.sqrt(c_new) + eps), "lr·g / (√cache′ + ε)", ("cache′",), (
        ("lr·g / √(cache′ + ε) (ε inside the square root)", lr * dw / np.sqrt(c_new + eps)),
        ("lr·g / (cache′ + ε) (no square root)", lr * dw / (c_new + eps)),
        ("lr·g / (√cache + ε) (the old cache, before adding g²)", lr * dw / (np.sqrt(cache) + eps)),
    ))]


def rmsprop_update(w: Any, dw: Any, cache: Any, lr: float, beta: float = 0.9, eps: float = 1e-8) -> list[Quantity]:
    """``cache′ = β·cache + (1 − β)g²``; ``w′ = w − lr·g/(√cache′ + ε)``."""
    state = _second_moment(cache, dw, beta, "cache′", "β", "[1]", "beta", 0.9)
    c_new = state.value
    return [state, *_update(w, lr * dw / (np.sqrt(c_new) + eps), "lr·g / (√cache′ + ε)", ("cache′",), (
        ("lr·g / √(cache′ + ε) (ε inside the square root)", lr * dw / np.sqrt(c_new + eps)),
        ("lr·g / (cache′ + ε) (no square root)", lr * dw / (c_new + eps)),
        ("lr·g / (√cache + ε) (the old cache)", lr * dw / (np.sqrt(cache) + eps)),
    ))]


def _corrected(name: str, moment: Any, base: str, beta: float, other: float, sym: str, other_sym: str,
               t: int, needs: str) -> Quantity:
    variants = [
        (f"{base} / (1 − {sym}^(t+1)) (t + 1 in the correction: t is already the step number)", moment / (1 - beta ** (t + 1))),
        (f"{base} · (1 − {sym}ᵗ) (multiplied instead of divided)", moment * (1 - beta**t)),
        (f"{base} / (1 − {other_sym}ᵗ) ({other_sym} instead of {sym})", moment / (1 - other**t)),
        (f"{base} / (1 − {sym}·t) ({sym}·t instead of {sym}ᵗ)", moment / (1 - beta * t) if beta * t != 1 else moment),
        (f"{base}, not corrected", moment),
    ]
    if t > 1:
        variants.insert(1, (f"{base} / (1 − {sym}^(t−1)) (t − 1 in the correction)", moment / (1 - beta ** (t - 1))))
    return Quantity(name, moment / (1 - beta**t), f"{base} / (1 − {sym}ᵗ)", (needs,), tuple(variants))


def adam_update(w: Any, dw: Any, v: Any, s: Any, t: int, lr: float = 0.001, beta1: float = 0.9,
                beta2: float = 0.999, eps: float = 1e-8) -> list[Quantity]:
    """``v′``, ``s′``, ``v̂ = v′/(1 − β₁ᵗ)``, ``ŝ = s′/(1 − β₂ᵗ)``, the step ``lr·v̂/(√ŝ + ε)``, ``w′``."""
    first, second = _first_moment(v, dw, beta1), _second_moment(s, dw, beta2)
    v_new, s_new = first.value, second.value
    v_hat = _corrected("v̂", v_new, "v′", beta1, beta2, "β₁", "β₂", t, "v′")
    s_hat = _corrected("ŝ", s_new, "s′", beta2, beta1, "β₂", "β₁", t, "s′")
    first = _also(first, ("v̂ = v′ / (1 − β₁ᵗ), the bias-corrected moment: return v′ itself", v_hat.value))
    second = _also(second, ("ŝ = s′ / (1 − β₂ᵗ), the bias-corrected moment: return s′ itself", s_hat.value))
    vh, sh = v_hat.value, s_hat.value
    efficient = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t) * v_new / (np.sqrt(s_new) + eps)
    return [first, second, v_hat, s_hat, *_update(w, lr * vh / (np.sqrt(sh) + eps), "lr·v̂ / (√ŝ + ε)", ("v̂", "ŝ"), (
        ("lr·v̂ / √(ŝ + ε) (ε inside the square root)", lr * vh / np.sqrt(sh + eps)),
        ("lr·v̂ / (ŝ + ε) (no square root)", lr * vh / (sh + eps)),
        ("lr·v′ / (√s′ + ε) (no bias correction)", lr * v_new / (np.sqrt(s_new) + eps)),
        ("lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · v′/(√s′ + ε) (the paper's 'efficient' form with ε̂ = ε, as TF/Keras: "
         "it differs where ε matters; use lr·v̂/(√ŝ + ε))", efficient),
        ("lr·v̂ / √ŝ + ε (ε added to the step)", lr * vh / np.sqrt(sh) + eps),
        *_fixed_step(lr, eps, 0.001, lambda lr_, eps_: lr_ * vh / (np.sqrt(sh) + eps_)),
    ))]


def _fixed_step(lr: float, eps: float, lr_default: float, step: Callable[[float, float], Any]) -> list[tuple[str, Any]]:
    """Step variants with ``lr`` or ``ε`` written in the code (their defaults) instead of the arguments."""
    found = []
    if lr != lr_default:
        found.append((f"the step with {_fixed('lr', 'lr', lr_default)}", step(lr_default, eps)))
    if eps != 1e-8:
        found.append((f"the step with {_fixed('ε', 'eps', 1e-8)}", step(lr, 1e-8)))
    return found


def _also(q: Quantity, variant: tuple[str, Any]) -> Quantity:
    return Quantity(q.name, q.value, q.formula, q.needs, (variant, *q.variants), q.output)


def adamax_update(w: Any, dw: Any, v: Any, u: Any, t: int, lr: float = 0.002, beta1: float = 0.9,
                  beta2: float = 0.999, eps: float = 1e-8) -> list[Quantity]:
    """``v′``, ``u′ = max(β₂u, |g|)``, the step ``(lr/(1 − β₁ᵗ))·v′/(u′ + ε)``, ``w′``."""
    first = _first_moment(v, dw, beta1)
    v_new = first.value
    u_new = np.maximum(beta2 * u, np.abs(dw))
    norm = Quantity(
        "u′", u_new, "max(β₂·u, |g|)", (),
        (
            ("max(u, |g|): β₂ left out, so u′ never decays (use max(β₂·u, |g|))", np.maximum(u, np.abs(dw))),
            ("max(β₂·u, g): the absolute value of g left out", np.maximum(beta2 * u, dw)),
            ("β₂·u + (1 − β₂)·|g|: an average, where AdaMax takes the maximum", beta2 * u + (1 - beta2) * np.abs(dw)),
            ("max(β₂·u, |g|) / (1 − β₂ᵗ): u′ needs no bias correction", u_new / (1 - beta2**t)),
        ),
        "[2]",
    )
    step = (lr / (1 - beta1**t)) * v_new / (u_new + eps)
    return [first, norm, *_update(w, step, "(lr / (1 − β₁ᵗ))·v′ / (u′ + ε)", ("v′", "u′"), (
        ("lr·v′ / (u′ + ε) (v′ not bias-corrected)", lr * v_new / (u_new + eps)),
        ("(lr / (1 − β₁^(t+1)))·v′ / (u′ + ε) (t + 1 in the correction)", (lr / (1 - beta1 ** (t + 1))) * v_new / (u_new + eps)),
        ("(lr / (1 − β₁ᵗ))·v′ / √(u′ + ε) (a square root AdaMax does not take)", (lr / (1 - beta1**t)) * v_new / np.sqrt(u_new + eps)),
        *_fixed_step(lr, eps, 0.002, lambda lr_, eps_: (lr_ / (1 - beta1**t)) * v_new / (u_new + eps_)),
    ))]


def nadam_update(w: Any, dw: Any, v: Any, s: Any, t: int, lr: float = 0.002, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8) -> list[Quantity]:
    """``v′``, ``s′``, ``ŝ``, ``v̄ = β₁v′/(1 − β₁^(t+1)) + (1 − β₁)g/(1 − β₁ᵗ)``, the step, ``w′``."""
    first, second = _first_moment(v, dw, beta1), _second_moment(s, dw, beta2)
    v_new, s_new = first.value, second.value
    s_hat = _corrected("ŝ", s_new, "s′", beta2, beta1, "β₂", "β₁", t, "s′")
    v_bar_value = beta1 * v_new / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1**t)
    v_bar = Quantity(
        "v̄", v_bar_value, "β₁·v′/(1 − β₁^(t+1)) + (1 − β₁)·g/(1 − β₁ᵗ)", ("v′",),
        (
            ("v′ / (1 − β₁ᵗ): Adam's v̂, without the look-ahead", v_new / (1 - beta1**t)),
            ("β₁·v′/(1 − β₁ᵗ) + (1 − β₁)·g/(1 − β₁ᵗ): the same t in both corrections",
             beta1 * v_new / (1 - beta1**t) + (1 - beta1) * dw / (1 - beta1**t)),
            ("β₁·v′/(1 − β₁^(t+1)) + (1 − β₁)·g/(1 − β₁^(t+1)): t + 1 in both corrections",
             beta1 * v_new / (1 - beta1 ** (t + 1)) + (1 - beta1) * dw / (1 - beta1 ** (t + 1))),
            ("β₁·v′ + (1 − β₁)·g: no bias correction", beta1 * v_new + (1 - beta1) * dw),
        ),
    )
    sh = s_hat.value
    return [first, second, s_hat, v_bar, *_update(w, lr * v_bar_value / (np.sqrt(sh) + eps), "lr·v̄ / (√ŝ + ε)", ("v̄", "ŝ"), (
        ("lr·v̄ / √(ŝ + ε) (ε inside the square root)", lr * v_bar_value / np.sqrt(sh + eps)),
        *_fixed_step(lr, eps, 0.002, lambda lr_, eps_: lr_ * v_bar_value / (np.sqrt(sh) + eps_)),
    ))]


# --------------------------------------------------------------------------- optimizer classes


def _per_key(params: dict, grads: dict) -> list[tuple[str, np.ndarray, np.ndarray]]:
    return [(k, np.asarray(w, dtype=np.float64), np.asarray(grads["d" + k], dtype=np.float64)) for k, w in params.items()]


def sgd_step(opt: Any, params: dict, grads: dict) -> list[Quantity]:
    """``w′ = w − lr·g`` for every parameter."""
    items = _per_key(params, grads)
    return [Quantity("w′", {k: w - opt.lr * g for k, w, g in items}, "w − lr·g", (), (
        ("w + lr·g (the sign is wrong)", {k: w + opt.lr * g for k, w, g in items}),
        _not_stored(items),
    ), "arg:params", "params")]


def _not_stored(items: list) -> tuple[str, dict]:
    """The variant "params left as they were" (the new weights bound to a local name only)."""
    return ("w: params is not updated (a new array bound to a local name is lost: "
            "write params[key] = … or update in place with -=)", {it[0]: it[1] for it in items})


def _state(opt: Any, key: str, slot: str, like: np.ndarray) -> np.ndarray:
    state = getattr(opt, "state", {}).get(key)
    return np.array(state[slot], dtype=np.float64) if state else np.zeros_like(like)


def momentum_step(opt: Any, params: dict, grads: dict) -> list[Quantity]:
    """Per parameter: ``v′ = βv + (1 − β)g``; ``w′ = w − lr·v′``."""
    b, lr = opt.beta, opt.lr
    items = [(k, w, g, _state(opt, k, "v", w)) for k, w, g in _per_key(params, grads)]
    v_new = {k: b * v + (1 - b) * g for k, w, g, v in items}
    return [
        Quantity("v′", v_new, "β·v + (1 − β)·g (one v per parameter, kept between steps)", (), (
            ("β·v + g (the (1 − β) factor left out)", {k: b * v + g for k, w, g, v in items}),
            ("(1 − β)·g: the velocity starts from zero at every step (keep v in the object, per parameter)",
             {k: (1 - b) * g for k, w, g, v in items}),
        )),
        Quantity("w′", {k: w - lr * v_new[k] for k, w, g, v in items}, "w − lr·v′", ("v′",), (
            ("w − lr·g (plain SGD: the velocity is not used)", {k: w - lr * g for k, w, g, v in items}),
            _not_stored(items),
        ), "arg:params", "params"),
    ]


def adam_step(opt: Any, params: dict, grads: dict) -> list[Quantity]:
    """Per parameter, with ``t`` = the number of steps including this one: ``v′``, ``s′``,
    ``v̂``, ``ŝ`` and ``w′``."""
    b1, b2, lr, eps = opt.beta1, opt.beta2, opt.lr, opt.eps
    t = int(getattr(opt, "t", 0)) + 1
    items = [(k, w, g, _state(opt, k, "v", w), _state(opt, k, "s", w)) for k, w, g in _per_key(params, grads)]
    v_new = {k: b1 * v + (1 - b1) * g for k, w, g, v, s in items}
    s_new = {k: b2 * s + (1 - b2) * g**2 for k, w, g, v, s in items}
    v_hat = {k: x / (1 - b1**t) for k, x in v_new.items()}
    s_hat = {k: x / (1 - b2**t) for k, x in s_new.items()}
    w_new = {k: w - lr * v_hat[k] / (np.sqrt(s_hat[k]) + eps) for k, w, g, v, s in items}
    return [
        Quantity("v′", v_new, "β₁·v + (1 − β₁)·g (per parameter)", (), (
            ("(1 − β₁)·g: v starts from zero at every step (keep v in the object, per parameter)",
             {k: (1 - b1) * g for k, w, g, v, s in items}),
        )),
        Quantity("s′", s_new, "β₂·s + (1 − β₂)·g² (per parameter)", ()),
        Quantity("v̂", v_hat, "v′ / (1 − β₁ᵗ), t counting this step", ("v′",), (
            ("v′ / (1 − β₁^(t+1))", {k: x / (1 - b1 ** (t + 1)) for k, x in v_new.items()}),
            ("v′ / (1 − β₁), t never incremented", {k: x / (1 - b1) for k, x in v_new.items()}),
        )),
        Quantity("ŝ", s_hat, "s′ / (1 − β₂ᵗ)", ("s′",), (
            ("s′ / (1 − β₂), t never incremented", {k: x / (1 - b2) for k, x in s_new.items()}),
        )),
        Quantity("w′", w_new, "w − lr·v̂ / (√ŝ + ε)", ("v̂", "ŝ"), (
            ("w − lr·v̂ / √(ŝ + ε) (ε inside the square root)",
             {k: w - lr * v_hat[k] / np.sqrt(s_hat[k] + eps) for k, w, g, v, s in items}),
            _not_stored(items),
        ), "arg:params", "params"),
    ]


# --------------------------------------------------------------------------- dropout


def _keep(rng: np.random.Generator, shape: tuple[int, ...], keep_prob: float) -> tuple[np.ndarray, list[tuple[str, Any]]]:
    u = rng.random(shape)
    keep = (u < keep_prob).astype(np.float64)
    variants = [
        ("u > 1 − keep_prob: the same share of units is kept and the distribution is right, but the "
         "instructions compare u < keep_prob with u = rng.random(shape), so the checker can replay your mask",
         (u > 1 - keep_prob).astype(np.float64)),
        ("u < 1 − keep_prob: the drop probability used as the keep probability", (u < 1 - keep_prob).astype(np.float64)),
        ("u > keep_prob: the units to drop, not the units to keep", (u > keep_prob).astype(np.float64)),
    ]
    return keep, variants


def _dropout(A: Any, keep_prob: float, rng: Any, shape: tuple[int, ...], mask_out: str | None, out: str | None) -> list[Quantity]:
    keep, variants = _keep(rng, shape, keep_prob)
    mask = keep / keep_prob
    found = [
        Quantity("the 0/1 mask", keep, "u < keep_prob, u = rng.random(shape)", (), tuple(variants)),
        Quantity("the scaled mask", mask, "(u < keep_prob) / keep_prob", ("the 0/1 mask",), (
            ("the 0/1 mask, not divided by keep_prob (inverted dropout scales in training)", keep),
            ("the 0/1 mask × keep_prob: multiply by 1/keep_prob, not by keep_prob", keep * keep_prob),
            *((f"({text.split(':')[0]}) / keep_prob", value / keep_prob) for text, value in variants),
        ), mask_out),
    ]
    if out is not None:
        found.append(Quantity("the output", A * mask, "A × mask", ("the scaled mask",), (
            ("A × the 0/1 mask: classic dropout without the 1/keep_prob (inverted dropout divides in training)", A * keep),
            ("A × the 0/1 mask × keep_prob", A * keep * keep_prob),
        ), out))
    return found


def dropout_forward(A: Any, keep_prob: float, rng: Any) -> list[Quantity]:
    """The 0/1 mask ``u < keep_prob``, the scaled mask, the output ``A × mask``."""
    return _dropout(A, keep_prob, rng, np.shape(A), "[1]", "[0]")


def spatial_dropout_forward(A: Any, keep_prob: float, rng: Any) -> list[Quantity]:
    """One draw per example and channel, shape ``(m, C, 1, 1)``: the 0/1 mask, the scaled mask, ``A × mask``."""
    m, C = np.shape(A)[:2]
    return _dropout(A, keep_prob, rng, (m, C, 1, 1), "[1]", "[0]")


def dropconnect_forward(A_prev: Any, W: Any, b: Any, keep_prob: float, rng: Any) -> list[Quantity]:
    """A mask on the weights: the 0/1 mask, the scaled mask, ``W × mask``, ``Z = A_prev @ (W × mask) + b``."""
    keep, variants = _keep(rng, np.shape(W), keep_prob)
    mask = keep / keep_prob
    W_drop = W * mask
    return [
        Quantity("the 0/1 mask", keep, "u < keep_prob, u = rng.random(W.shape)", (), tuple(variants)),
        Quantity("the scaled mask", mask, "(u < keep_prob) / keep_prob", ("the 0/1 mask",), (
            ("the 0/1 mask, not divided by keep_prob", keep),
        ), "[1]"),
        Quantity("W × mask", W_drop, "W × mask", ("the scaled mask",), (
            ("W × the 0/1 mask (no 1/keep_prob)", W * keep),
        )),
        Quantity("Z", A_prev @ W_drop + b, "A_prev @ (W × mask) + b", ("W × mask",), (
            ("A_prev @ (W × mask): b left out", A_prev @ W_drop),
            ("A_prev @ W + b: the mask not used", A_prev @ W + b),
        ), "[0]"),
    ]


def dropout_backward(dA: Any, mask: Any) -> list[Quantity]:
    """``dA_prev = dA × mask`` (the mask already holds the 1/keep_prob)."""
    return [Quantity("dA_prev", dA * mask, "dA × mask", (), (
        ("dA: the mask ignored (units dropped in the forward pass get no gradient)", dA),
        ("dA × (mask > 0): the 0/1 pattern without the 1/keep_prob the mask holds", dA * (mask != 0)),
    ), "")]


def layer_forward(layer: Any, A: Any, rng: Any = None, training: bool = True) -> list[Quantity]:
    """``Dropout.forward``: in training the 0/1 mask, the scaled mask, ``A × mask``; in test mode ``A``."""
    if not training:
        return [Quantity("the output", np.array(A, dtype=np.float64), "A (test mode leaves A alone)", (), (
            ("A × keep_prob: the classic test-time scaling; with inverted dropout test time leaves A alone",
             A * layer.keep_prob),
            ("A × 0: everything dropped", A * 0.0),
        ), "")]
    return _dropout(A, layer.keep_prob, rng, np.shape(A), None, "")


def layer_backward(layer: Any, dA: Any) -> list[Quantity]:
    """``Dropout.backward``: ``dA × mask`` with the mask of the last forward pass."""
    mask = getattr(layer, "mask", None)
    if mask is None:
        return []
    return dropout_backward(dA, mask)


# --------------------------------------------------------------------------- penalties


def _weights(params: dict) -> dict[str, np.ndarray]:
    return {k: np.asarray(v, dtype=np.float64) for k, v in params.items() if isinstance(k, str) and k.startswith("W")}


def _biases(params: dict) -> dict[str, np.ndarray]:
    return {k: np.asarray(v, dtype=np.float64) for k, v in params.items() if not (isinstance(k, str) and k.startswith("W"))}


def _sum(values: Any) -> float:
    return float(sum(values))


def l2_cost(params: dict, lambd: float, m: int) -> list[Quantity]:
    """The sums ``ΣW²`` per weight matrix, their total, the penalty ``(λ/2m)·ΣW²``."""
    W, B = _weights(params), _biases(params)
    sums = {k: float(np.sum(w**2)) for k, w in W.items()}
    total = _sum(sums.values())
    with_b = total + _sum(float(np.sum(b**2)) for b in B.values())
    norms = _sum(float(np.sqrt(np.sum(w**2))) for w in W.values())
    return [
        Quantity("ΣW² per weight matrix", sums, "sum(W**2) for each W", (), (
            ("Σ|W| per matrix (absolute values, not squares)", {k: float(np.sum(np.abs(w))) for k, w in W.items()}),
            ("‖W‖ per matrix: the norm, not its square", {k: float(np.sqrt(np.sum(w**2))) for k, w in W.items()}),
            ("ΣW per matrix (not squared)", {k: float(np.sum(w)) for k, w in W.items()}),
        )),
        Quantity("ΣW²", total, "the sum over every weight matrix", ("ΣW² per weight matrix",), (
            ("ΣW² with the biases b too: only the weights W are penalized", with_b),
            ("Σ‖W‖: the norms, not their squares", norms),
        )),
        Quantity("the penalty", (lambd / (2 * m)) * total, "(λ / 2m)·ΣW²", ("ΣW²",), (
            ("(λ / m)·ΣW²: the ½ left out", (lambd / m) * total),
            ("(λ / 2)·ΣW²: m left out", (lambd / 2) * total),
            ("λ·ΣW²: both ½ and 1/m left out", lambd * total),
            ("(λ / 2m)·ΣW² with the biases too", (lambd / (2 * m)) * with_b),
            ("(λ / 2m)·Σ‖W‖: the norms not squared", (lambd / (2 * m)) * norms),
            ("λ / (2·m)·ΣW² computed as λ/2·m·ΣW² (operator precedence: write λ / (2 * m))", lambd / 2 * m * total),
        ), ""),
    ]


def l1_cost(params: dict, lambd: float, m: int) -> list[Quantity]:
    """The sums ``Σ|W|`` per weight matrix, their total, the penalty ``(λ/m)·Σ|W|``."""
    W, B = _weights(params), _biases(params)
    sums = {k: float(np.sum(np.abs(w))) for k, w in W.items()}
    total = _sum(sums.values())
    with_b = total + _sum(float(np.sum(np.abs(b))) for b in B.values())
    return [
        Quantity("Σ|W| per weight matrix", sums, "sum(abs(W)) for each W", (), (
            ("ΣW per matrix: the absolute value left out", {k: float(np.sum(w)) for k, w in W.items()}),
            ("ΣW² per matrix: squares (that is L2)", {k: float(np.sum(w**2)) for k, w in W.items()}),
        )),
        Quantity("Σ|W|", total, "the sum over every weight matrix", ("Σ|W| per weight matrix",), (
            ("Σ|W| with the biases too: only the weights W are penalized", with_b),
        )),
        Quantity("the penalty", (lambd / m) * total, "(λ / m)·Σ|W|", ("Σ|W|",), (
            ("(λ / 2m)·Σ|W|: the ½ belongs to L2, not L1", (lambd / (2 * m)) * total),
            ("λ·Σ|W|: m left out", lambd * total),
            ("(λ / m)·Σ|W| with the biases too", (lambd / m) * with_b),
        ), ""),
    ]


def elastic_net_cost(params: dict, lambd1: float, lambd2: float, m: int) -> list[Quantity]:
    """``Σ|W|``, ``ΣW²``, the L1 part ``(λ₁/m)·Σ|W|``, the L2 part ``(λ₂/2m)·ΣW²``, their sum."""
    W, B = _weights(params), _biases(params)
    l1 = _sum(float(np.sum(np.abs(w))) for w in W.values())
    l2 = _sum(float(np.sum(w**2)) for w in W.values())
    l1_b = l1 + _sum(float(np.sum(np.abs(b))) for b in B.values())
    l2_b = l2 + _sum(float(np.sum(b**2)) for b in B.values())
    l1_noabs = _sum(float(np.sum(w)) for w in W.values())
    return [
        Quantity("Σ|W|", l1, "sum of |W| over the weights", (), (
            ("Σ|W| with the biases too: only the weights W are penalized", l1_b),
            ("ΣW: the absolute value left out", l1_noabs),
        )),
        Quantity("ΣW²", l2, "sum of W² over the weights", (), (
            ("ΣW² with the biases too: only the weights W are penalized", l2_b),
        )),
        Quantity("the L1 part", (lambd1 / m) * l1, "(λ₁ / m)·Σ|W|", ("Σ|W|",), (
            ("(λ₂ / m)·Σ|W|: λ₁ and λ₂ swapped", (lambd2 / m) * l1),
            ("(λ₁ / 2m)·Σ|W|: the ½ belongs to the L2 part", (lambd1 / (2 * m)) * l1),
        )),
        Quantity("the L2 part", (lambd2 / (2 * m)) * l2, "(λ₂ / 2m)·ΣW²", ("ΣW²",), (
            ("(λ₁ / 2m)·ΣW²: λ₁ and λ₂ swapped", (lambd1 / (2 * m)) * l2),
            ("(λ₂ / m)·ΣW²: the ½ left out", (lambd2 / m) * l2),
        )),
        Quantity("the penalty", (lambd1 / m) * l1 + (lambd2 / (2 * m)) * l2, "(λ₁ / m)·Σ|W| + (λ₂ / 2m)·ΣW²",
                 ("the L1 part", "the L2 part"), (
                     ("(λ₁ / m)·Σ|W| + (λ₂ / m)·ΣW²: the ½ of the L2 part left out", (lambd1 / m) * l1 + (lambd2 / m) * l2),
                     ("(λ₂ / m)·Σ|W| + (λ₁ / 2m)·ΣW²: λ₁ and λ₂ swapped", (lambd2 / m) * l1 + (lambd1 / (2 * m)) * l2),
                     ("the penalty with the biases too: only the weights W are penalized",
                      (lambd1 / m) * l1_b + (lambd2 / (2 * m)) * l2_b),
                     ("(λ₁ / m)·ΣW + (λ₂ / 2m)·ΣW²: the absolute value left out", (lambd1 / m) * l1_noabs + (lambd2 / (2 * m)) * l2),
                 ), ""),
    ]


def _grad_terms(grads: dict, params: dict, term: Callable[[np.ndarray], np.ndarray], name: str, formula: str,
                variants: tuple[tuple[str, Callable[[np.ndarray], np.ndarray]], ...]) -> list[Quantity]:
    W = _weights(params)
    terms = {k: term(w) for k, w in W.items()}

    def new_grads(fn: Callable[[np.ndarray], np.ndarray], biases: bool = False) -> dict:
        out = {k: np.asarray(v, dtype=np.float64) for k, v in grads.items()}
        for k, w in params.items():
            if ("d" + k) in out and (k in W or biases):
                out["d" + k] = out["d" + k] + fn(np.asarray(w, dtype=np.float64))
        return out

    return [
        Quantity(name, terms, formula + " for each weight matrix", (), tuple(
            (text, {k: fn(w) for k, w in W.items()}) for text, fn in variants
        )),
        Quantity("the new gradients", new_grads(term), f"dW + {formula} (db unchanged)", (name,), (
            *((f"dW + {text}", new_grads(fn)) for text, fn in variants),
            (f"the term added to the biases' gradients too: only dW gets {formula}", new_grads(term, biases=True)),
        ), ""),
    ]


def l2_grads(grads: dict, params: dict, lambd: float, m: int) -> list[Quantity]:
    """The term ``(λ/m)·W`` per weight matrix, then ``dW + (λ/m)·W``."""
    return _grad_terms(grads, params, lambda w: (lambd / m) * w, "(λ/m)·W", "(λ / m)·W", (
        ("λ·W: m left out", lambda w: lambd * w),
        ("(λ / 2m)·W: the ½ of the cost cancels against the 2 of W²'s derivative", lambda w: (lambd / (2 * m)) * w),
        ("2(λ / m)·W: the derivative of (λ/2m)·W² is (λ/m)·W, not twice that", lambda w: 2 * (lambd / m) * w),
    ))


def l1_grads(grads: dict, params: dict, lambd: float, m: int) -> list[Quantity]:
    """The term ``(λ/m)·sign(W)`` per weight matrix, then ``dW + (λ/m)·sign(W)``."""
    return _grad_terms(grads, params, lambda w: (lambd / m) * np.sign(w), "(λ/m)·sign(W)", "(λ / m)·sign(W)", (
        ("(λ / m)·W: that is L2's term; L1 adds the sign", lambda w: (lambd / m) * w),
        ("λ·sign(W): m left out", lambda w: lambd * np.sign(w)),
        ("(λ / m)·|W|", lambda w: (lambd / m) * np.abs(w)),
    ))


def elastic_net_grads(grads: dict, params: dict, lambd1: float, lambd2: float, m: int) -> list[Quantity]:
    """The term ``(λ₁/m)·sign(W) + (λ₂/m)·W`` per weight matrix, then the new gradients."""
    return _grad_terms(
        grads, params, lambda w: (lambd1 / m) * np.sign(w) + (lambd2 / m) * w,
        "(λ₁/m)·sign(W) + (λ₂/m)·W", "(λ₁ / m)·sign(W) + (λ₂ / m)·W", (
            ("(λ₂ / m)·sign(W) + (λ₁ / m)·W: λ₁ and λ₂ swapped", lambda w: (lambd2 / m) * np.sign(w) + (lambd1 / m) * w),
            ("(λ₁ / m)·sign(W) + (λ₂ / 2m)·W: the ½ of the L2 cost cancels in its derivative",
             lambda w: (lambd1 / m) * np.sign(w) + (lambd2 / (2 * m)) * w),
        ))


# --------------------------------------------------------------------------- schedules


def _rate(lr0: float, factor: Quantity, *more: tuple[str, float]) -> Quantity:
    """``lr0 × the decay factor``, with a variant per variant of the factor (the learner often
    writes the whole formula in one return: only the rate is there to compare)."""
    return Quantity("the rate", lr0 * factor.value, "lr0 × the decay factor", (factor.name,),
                    tuple((f"lr0 × {text}", lr0 * value) for text, value in factor.variants) + more, "")


def step_decay(lr0: float, epoch: Any, drop: float, epochs_per_drop: Any) -> list[Quantity]:
    """The decay factor ``drop^⌊epoch / epochs_per_drop⌋``, then ``lr0 × factor``."""
    k = float(epoch) / float(epochs_per_drop)
    factor = float(drop ** np.floor(k))
    found = [
        Quantity("the decay factor", factor, "drop^⌊epoch / epochs_per_drop⌋", (), (
            ("drop^(epoch / epochs_per_drop): the floor left out, so the rate decays smoothly, not in steps", float(drop**k)),
            ("drop^⌊(epoch + 1) / epochs_per_drop⌋: epoch is 0-based, the first drop is at epoch = epochs_per_drop",
             float(drop ** np.floor((float(epoch) + 1) / float(epochs_per_drop)))),
            ("drop^⌈epoch / epochs_per_drop⌉: rounded up instead of down", float(drop ** np.ceil(k))),
        )),
    ]
    return [found[0], _rate(lr0, found[0])]


def exponential_decay(lr0: float, epoch: Any, k: float) -> list[Quantity]:
    """The decay factor ``e^(−k·epoch)``, then ``lr0 × factor``."""
    e = float(epoch)
    factor = float(np.exp(-k * e))
    found = [
        Quantity("the decay factor", factor, "e^(−k·epoch)", (), (
            ("e^(k·epoch): the minus sign left out", float(np.exp(k * e))),
            ("e^(−k·(epoch + 1)): epoch is 0-based, the rate at epoch 0 is lr0", float(np.exp(-k * (e + 1)))),
            ("k^epoch: a power of k, not of e", float(k**e)),
        )),
    ]
    return [found[0], _rate(lr0, found[0])]


def time_decay(lr0: float, epoch: Any, decay_rate: float) -> list[Quantity]:
    """The decay factor ``1 / (1 + decay_rate·epoch)``, then ``lr0 × factor``."""
    e = float(epoch)
    factor = 1.0 / (1.0 + decay_rate * e)
    found = [
        Quantity("the decay factor", factor, "1 / (1 + decay_rate·epoch)", (), (
            ("1 / (1 + decay_rate)·epoch (operator precedence: write 1 / (1 + decay_rate * epoch))", e / (1.0 + decay_rate)),
            ("1 / (1 + decay_rate)^epoch: an exponential decay", float((1.0 + decay_rate) ** -e)),
            ("1 − decay_rate·epoch: a linear decay, not 1/(1 + …)", 1.0 - decay_rate * e),
            ("1 / (1 + decay_rate·(epoch + 1)): epoch is 0-based, the rate at epoch 0 is lr0", 1.0 / (1.0 + decay_rate * (e + 1))),
        )),
    ]
    return [found[0], _rate(lr0, found[0], (
        "lr0 / 1 + decay_rate·epoch: parentheses missing around the denominator (write lr0 / (1 + decay_rate * epoch))",
        lr0 + decay_rate * e))]


def warmup_cosine(step: Any, total_steps: Any, lr_max: float, warmup_steps: Any, lr_min: float = 0.0) -> list[Quantity]:
    """In warm-up ``lr_max·(step + 1)/warmup_steps``; then the progress ``p`` and ``lr_min + ½(lr_max − lr_min)(1 + cos πp)``."""
    step, total, warm = int(step), int(total_steps), int(warmup_steps)
    if step < warm:
        return [Quantity("the warm-up rate", lr_max * (step + 1) / warm, "lr_max·(step + 1) / warmup_steps", (), (
            ("lr_max·step / warmup_steps: step is 0-based, the first warm-up rate is lr_max / warmup_steps",
             lr_max * step / warm),
        ), "")]
    p = (step - warm) / max(1, total - warm)
    return [
        Quantity("the progress p", p, "(step − warmup_steps) / (total_steps − warmup_steps)", (), (
            ("step / total_steps: the warm-up steps not taken off", step / total),
            ("(step − warmup_steps) / total_steps", (step - warm) / total),
        )),
        Quantity("the rate", lr_min + 0.5 * (lr_max - lr_min) * (1 + np.cos(np.pi * p)),
                 "lr_min + ½(lr_max − lr_min)(1 + cos πp)", ("the progress p",), (
                     ("½·lr_max·(1 + cos πp): lr_min left out", 0.5 * lr_max * (1 + np.cos(np.pi * p))),
                 ), ""),
    ]


# --------------------------------------------------------------------------- a network with dropout


def network_forward_backward(X: Any, Y: Any, params: dict, keep_prob: float, rng: Any, training: bool = True) -> list[Quantity]:
    """The forward pass (``Z1``, ``A1``, the masks, ``A1`` after dropout, ``Z2``, ``A2``, the cost)
    and the backward pass (``dZ2``, ``dW2``, ``db2``, ``dA1`` through the mask, ``dZ1``, ``dW1``,
    ``db1``) of ``tutor.exercises.dropout.forward_backward``."""
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    found = [
        Quantity("Z1", Z1, "X @ W1 + b1", ()),
        Quantity("A1", A1, "max(Z1, 0)", ("Z1",), (("max(Z1, 0) of the wrong Z1: X @ W1 without b1", np.maximum(X @ W1, 0.0)),)),
    ]
    mask = keep = None
    if training:
        keep, variants = _keep(rng, A1.shape, keep_prob)
        mask = keep / keep_prob
        dropped = A1 * mask
        found += [
            Quantity("the 0/1 mask", keep, "u < keep_prob, u = rng.random(A1.shape)", (), tuple(variants)),
            Quantity("the scaled mask", mask, "(u < keep_prob) / keep_prob", ("the 0/1 mask",), (
                ("the 0/1 mask, not divided by keep_prob (inverted dropout scales in training)", keep),
            )),
            Quantity("A1 after dropout", dropped, "A1 × mask", ("A1", "the scaled mask"), (
                ("A1 × the 0/1 mask: no 1/keep_prob (inverted dropout divides in training)", A1 * keep),
            )),
        ]
        A1_used = dropped
    else:
        test_variants = [
            ("A1 × keep_prob: the classic test-time scaling; with inverted dropout test mode leaves A1 alone", A1 * keep_prob),
        ]
        if isinstance(rng, np.random.Generator):  # what a mask drawn in test mode would be
            drawn = (rng.random(A1.shape) < keep_prob).astype(np.float64)
            test_variants += [
                ("A1 × a mask drawn in test mode: test mode draws nothing and drops nothing", A1 * drawn / keep_prob),
                ("A1 × a 0/1 mask drawn in test mode: test mode draws nothing and drops nothing", A1 * drawn),
            ]
        found.append(Quantity("A1 in test mode", A1, "A1 (test mode: no mask, no scaling)", ("A1",), tuple(test_variants)))
        A1_used = A1
    last = found[-1].name
    Z2 = A1_used @ W2 + b2
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    cost = float(np.mean(np.logaddexp(0.0, Z2) - Y * Z2))
    with np.errstate(all="ignore"):
        total = float(np.sum(np.logaddexp(0.0, Z2) - Y * Z2))
    dZ2 = (A2 - Y) / m
    dA1 = dZ2 @ W2.T
    dA1_masked = dA1 * mask if mask is not None else dA1
    dZ1 = dA1_masked * (Z1 > 0)
    found += [
        Quantity("Z2", Z2, "A1 @ W2 + b2", (last,), (
            ("A1 @ W2 + b2 with A1 before dropout", A1 @ W2 + b2),
        ) if training else tuple((f"({text.split(':')[0]}) @ W2 + b2:{text.split(':', 1)[1]}", value @ W2 + b2)
                                 for text, value in test_variants)),
        Quantity("A2", A2, "σ(Z2)", ("Z2",)),
        Quantity("the cost", cost, "−mean(Y·log A2 + (1 − Y)·log(1 − A2))", ("A2",), (
            ("the sum over the examples, not the mean (divide by m)", total),
            ("mean(Y·log A2 + (1 − Y)·log(1 − A2)): the minus sign left out", -cost),
        ), "[0]"),
        Quantity("dZ2", dZ2, "(A2 − Y) / m", ("A2",), (
            ("A2 − Y: the 1/m of the mean cost left out", A2 - Y),
        )),
        Quantity("dW2", A1_used.T @ dZ2, "A1ᵀ·dZ2 (A1 after dropout)", ("dZ2",), (
            ("A1ᵀ·dZ2 with A1 before dropout: the dropped units had no part in Z2", A1.T @ dZ2),
            ("A1ᵀ·(A2 − Y): the 1/m left out", A1_used.T @ (A2 - Y)),
        ), '[1]["dW2"]'),
        Quantity("db2", dZ2.sum(axis=0), "Σ over the rows of dZ2, shape (1,)", ("dZ2",), (
            ("Σ(A2 − Y): the 1/m left out", (A2 - Y).sum(axis=0)),
        ), '[1]["db2"]'),
        Quantity("dA1", dA1_masked, "dZ2 @ W2ᵀ × mask" if training else "dZ2 @ W2ᵀ", ("dZ2",), (
            ("dZ2 @ W2ᵀ not multiplied by the mask: the dropped units get a gradient", dA1),
            ("dZ2 @ W2ᵀ × the 0/1 mask: without the 1/keep_prob the mask holds", dA1 * keep),
        ) if training else ()),
        Quantity("dZ1", dZ1, "dA1 × (Z1 > 0)", ("dA1",)),
        Quantity("dW1", X.T @ dZ1, "Xᵀ·dZ1", ("dZ1",), (
            ("Xᵀ·dZ1 with dA1 not through the mask", X.T @ (dA1 * (Z1 > 0))),
        ) if training else (), '[1]["dW1"]'),
        Quantity("db1", dZ1.sum(axis=0), "Σ over the rows of dZ1, shape (h,)", ("dZ1",), (), '[1]["db1"]'),
    ]
    return found


# --------------------------------------------------------------------------- mini-batches and folds


def make_minibatches(X: Any, Y: Any, batch_size: int, rng: Any) -> list[Quantity]:
    """The permutation ``rng.permutation(m)``, ``X[perm]``, ``Y[perm]``, then the batches."""
    X, Y = np.asarray(X), np.asarray(Y)
    m = X.shape[0]
    perm = rng.permutation(m)
    second = rng.permutation(m)  # what a second draw (for Y) would give
    Xs, Ys = X[perm], Y[perm]
    batches = [(Xs[k : k + batch_size], Ys[k : k + batch_size]) for k in range(0, m, batch_size)]
    return [
        Quantity("the permutation", perm, "rng.permutation(m), one draw", (), (
            ("np.arange(m): the examples are not shuffled", np.arange(m)),
        )),
        Quantity("X shuffled", Xs, "X[perm]", ("the permutation",), (("X, not shuffled", X),)),
        Quantity("Y shuffled", Ys, "Y[perm], with the same perm as X", ("the permutation",), (
            ("Y[perm2] with a second permutation: X and Y no longer pair up (draw one perm, use it for both)", Y[second]),
            ("Y, not shuffled: X and Y no longer pair up", Y),
        )),
        Quantity("the batches", batches, "(X[perm][k:k+B], Y[perm][k:k+B]) for k = 0, B, 2B, …", ("X shuffled", "Y shuffled"), (), ""),
    ]


def kfold_indices(m: int, k: int, rng: Any) -> list[Quantity]:
    """The permutation, the folds ``numpy.array_split(perm, k)``, then the (train, validation) pairs."""
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    size = m // k
    last_heavy = [perm[i * size : (i + 1) * size] for i in range(k - 1)] + [perm[(k - 1) * size :]]
    return [
        Quantity("the permutation", perm, "rng.permutation(m)", (), (
            ("np.arange(m): the examples are not shuffled", np.arange(m)),
        )),
        Quantity("the folds", folds, "numpy.array_split(perm, k): sizes differ by at most one, larger first", ("the permutation",), (
            ("folds of m // k with the whole remainder in the last fold: array_split spreads it, one each over the first folds",
             last_heavy),
        )),
        Quantity("the pairs", [(np.concatenate([folds[j] for j in range(k) if j != i]), folds[i]) for i in range(k)],
                 "(the other folds concatenated in order, fold i)", ("the folds",), (
                     ("(fold i, the other folds): train and validation swapped",
                      [(folds[i], np.concatenate([folds[j] for j in range(k) if j != i])) for i in range(k)]),
                 ), ""),
    ]
