"""Cases and known mistakes of the penalty exercises (lessons 8.2–8.4).

Exercises: ``l2_cost``, ``l2_grads``, ``l1_cost``, ``l1_grads``, ``elastic_net_cost``,
``elastic_net_grads`` (reference: ``tutor.core.regularization``)::

    l2_cost          = (λ/(2m)) · Σ_W ΣW²
    l1_cost          = (λ/m) · Σ_W Σ|W|
    elastic_net_cost = (λ₁/m) · Σ|W| + (λ₂/(2m)) · ΣW²
    *_grads: a new dict; dW += the penalty's gradient; db unchanged

Every check holds: params dicts with two or more weights and their biases (biases never
regularized, so they are non-zero here: a mistake that penalizes them shows), exact zeros and
negative weights (``sign(0) = 0``), 1-D, non-square 2-D and 4-D weights, λ = 0, m = 1, and a case
that passes ``grads`` as a persistent object and snapshots it after the call (a learner who adds
to ``grads`` in place returns the right values but has changed the caller's gradients).

The mistakes below are self-contained (``numpy`` only): the dev check runs each as a learner's file.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.grading.cases import (
    Ref,
    call,
    call_case,
    case,
    let,
    log_uniform,
    normal,
    snapshot,
    with_zeros,
)

# --------------------------------------------------------------------------- parameters


def _network(rng: np.random.Generator, layers: int) -> dict[str, tuple[int, ...]]:
    """Shapes of a dense network ``W1 (n0, n1), b1 (n1,), W2 (n1, n2), …`` with no square W."""
    sizes = [int(rng.integers(1, 6))]
    for _ in range(layers):
        n = int(rng.integers(1, 6))
        if n == sizes[-1]:
            n += 1
        sizes.append(n)
    shapes: dict[str, tuple[int, ...]] = {}
    for i in range(1, layers + 1):
        shapes[f"W{i}"] = (sizes[i - 1], sizes[i])
        shapes[f"b{i}"] = (sizes[i],)
    return shapes


def _params(
    rng: np.random.Generator, shapes: dict[str, tuple[int, ...]], scale: float = 1.0
) -> dict[str, np.ndarray]:
    """Weights with negative values and exact zeros; non-zero biases."""
    out = {}
    for key, shape in shapes.items():
        value = normal(rng, shape, scale)
        if key.startswith("W"):
            value = with_zeros(rng, value, share=0.2)
        else:
            value = value + np.where(value >= 0, 0.1, -0.1) * scale  # never 0
        out[key] = value
    return out


def _grads(rng: np.random.Generator, shapes: dict[str, tuple[int, ...]], scale: float) -> dict[str, np.ndarray]:
    return {"d" + key: normal(rng, shape, scale) for key, shape in shapes.items()}


_CONV = {"W1": (2, 1, 2, 3), "b1": (2,), "W2": (3, 2), "b2": (2,)}  # a 4-D kernel and a dense layer
_VECTOR = {"W1": (5,), "b1": (1,), "W2": (1, 3), "b2": (3,)}  # a 1-D weight vector
_ONE = {"W1": (4, 2), "b1": (2,)}  # a single weight matrix


def _fixed_shapes() -> list[tuple[str, dict[str, tuple[int, ...]]]]:
    return [
        ("a 4-D kernel W1 and a dense W2", _CONV),
        ("a 1-D weight vector W1 and a 2-D W2", _VECTOR),
        ("one weight matrix and its bias", _ONE),
        ("three layers", {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,), "W3": (2, 1), "b3": (1,)}),
    ]


def _hyper(rng: np.random.Generator, names: tuple[str, ...]) -> dict[str, Any]:
    """λ's and m with λ/m between about 0.003 and 3 (a penalty the size of the data term)."""
    m = int(rng.choice([1, 2, 5, 10, 32, 100, 250]))
    out: dict[str, Any] = {}
    for name in names:
        out[name] = round(log_uniform(rng, 0.003, 3.0) * m, 4)
    out["m"] = m
    return out


def _cost_cases(rng: np.random.Generator, fn: str, lambdas: tuple[str, ...]) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    net = {"W1": (3, 2), "b1": (2,), "W2": (2, 4), "b2": (4,)}
    fixed = {name: value for name, value in zip(lambdas, (0.7, 1.3))}
    cases.append(call_case("two layers, m = 10", fn, params=_params(rng, net), **fixed, m=10))
    zero = {name: 0.0 for name in lambdas}
    cases.append(call_case("λ = 0: no penalty", fn, params=_params(rng, net), **zero, m=7))
    one = {name: value for name, value in zip(lambdas, (0.05, 0.02))}
    cases.append(call_case("m = 1", fn, params=_params(rng, _ONE), **one, m=1))
    if len(lambdas) == 2:
        cases.append(call_case("only λ₁ (L1 part)", fn, params=_params(rng, net), lambd1=2.0, lambd2=0.0, m=4))
        cases.append(call_case("only λ₂ (L2 part)", fn, params=_params(rng, net), lambd1=0.0, lambd2=2.0, m=4))
    for label, shapes in _fixed_shapes():
        cases.append(call_case(label, fn, params=_params(rng, shapes), **_hyper(rng, lambdas)))
    for i in range(9):
        layers = int(rng.integers(2, 4))
        shapes = _network(rng, layers)
        scale = log_uniform(rng, 0.05, 5.0)
        hyper = _hyper(rng, lambdas)
        cases.append(
            call_case(
                f"random {i + 1}: {layers} layers, m = {hyper['m']}",
                fn,
                params=_params(rng, shapes, scale),
                **hyper,
            )
        )
    return cases


def _grads_cases(rng: np.random.Generator, fn: str, lambdas: tuple[str, ...]) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    net = {"W1": (3, 2), "b1": (2,), "W2": (2, 4), "b2": (4,)}
    fixed = {name: value for name, value in zip(lambdas, (0.7, 1.3))}
    cases.append(
        call_case("two layers, m = 10", fn, grads=_grads(rng, net, 0.3), params=_params(rng, net), **fixed, m=10)
    )
    zero = {name: 0.0 for name in lambdas}
    cases.append(
        call_case("λ = 0: the gradients unchanged", fn, grads=_grads(rng, net, 0.3), params=_params(rng, net),
                  **zero, m=7)
    )
    one = {name: value for name, value in zip(lambdas, (0.05, 0.02))}
    cases.append(call_case("m = 1", fn, grads=_grads(rng, _ONE, 0.1), params=_params(rng, _ONE), **one, m=1))
    if len(lambdas) == 2:
        cases.append(
            call_case("only λ₁ (L1 part)", fn, grads=_grads(rng, net, 0.3), params=_params(rng, net),
                      lambd1=2.0, lambd2=0.0, m=4)
        )
        cases.append(
            call_case("only λ₂ (L2 part)", fn, grads=_grads(rng, net, 0.3), params=_params(rng, net),
                      lambd1=0.0, lambd2=2.0, m=4)
        )
    # grads is the caller's dict: after the call it must hold what it held before
    hyper = _hyper(rng, lambdas)
    cases.append(
        case(
            "the caller's grads dict is left unchanged",
            let("grads", _grads(rng, net, 0.3)),
            call(fn, "result", grads=Ref("grads"), params=_params(rng, net), **hyper),
            snapshot("grads", "grads after the call"),
        )
    )
    for label, shapes in _fixed_shapes():
        cases.append(
            call_case(label, fn, grads=_grads(rng, shapes, 0.3), params=_params(rng, shapes), **_hyper(rng, lambdas))
        )
    for i in range(9):
        layers = int(rng.integers(2, 4))
        shapes = _network(rng, layers)
        scale = log_uniform(rng, 0.05, 5.0)
        hyper = _hyper(rng, lambdas)
        cases.append(
            call_case(
                f"random {i + 1}: {layers} layers, m = {hyper['m']}",
                fn,
                grads=_grads(rng, shapes, scale * log_uniform(rng, 0.1, 1.0)),
                params=_params(rng, shapes, scale),
                **hyper,
            )
        )
    return cases


def l2_cost_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _cost_cases(rng, "l2_cost", ("lambd",))


def l2_grads_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _grads_cases(rng, "l2_grads", ("lambd",))


def l1_cost_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _cost_cases(rng, "l1_cost", ("lambd",))


def l1_grads_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _grads_cases(rng, "l1_grads", ("lambd",))


def elastic_net_cost_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _cost_cases(rng, "elastic_net_cost", ("lambd1", "lambd2"))


def elastic_net_grads_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    return _grads_cases(rng, "elastic_net_grads", ("lambd1", "lambd2"))


# --------------------------------------------------------------------------- L2 cost mistakes


def l2_cost_without_half(params, lambd, m):
    """``(lambd/m) * ΣW²``: the 1/2 of the cost forgotten (it is there so the gradient is (λ/m)·W)."""
    return float((lambd / m) * sum(np.sum(W**2) for k, W in params.items() if k.startswith("W")))


def l2_cost_with_biases(params, lambd, m):
    """Every array of ``params`` penalized, the biases included."""
    return float((lambd / (2 * m)) * sum(np.sum(P**2) for P in params.values()))


def l2_cost_no_square(params, lambd, m):
    """``Σ W`` instead of ``Σ W²`` (the square forgotten)."""
    return float((lambd / (2 * m)) * sum(np.sum(W) for k, W in params.items() if k.startswith("W")))


def l2_cost_last_weight_only(params, lambd, m):
    """The loop overwrites the total (``total = …`` instead of ``total += …``): only the last weight counts."""
    total = 0.0
    for key, W in params.items():
        if key.startswith("W"):
            total = np.sum(W**2)
    return float((lambd / (2 * m)) * total)


# --------------------------------------------------------------------------- L2 gradient mistakes


def l2_grads_half(grads, params, lambd, m):
    """``(lambd/(2m))*W``: the cost's factor reused for the gradient."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = out["d" + key] + (lambd / (2 * m)) * W
    return out


def l2_grads_with_biases(grads, params, lambd, m):
    """Every gradient gets ``+ (lambd/m)*param``, ``db`` included."""
    return {"d" + key: grads["d" + key] + (lambd / m) * P for key, P in params.items()}


def l2_grads_in_place(grads, params, lambd, m):
    """Adds to the caller's ``grads`` in place and returns that same dict."""
    for key, W in params.items():
        if key.startswith("W"):
            grads["d" + key] += (lambd / m) * W
    return grads


def l2_grads_weights_only(grads, params, lambd, m):
    """Returns only the ``dW`` entries: the bias gradients are lost."""
    return {"d" + key: grads["d" + key] + (lambd / m) * W for key, W in params.items() if key.startswith("W")}


def l2_grads_replaces(grads, params, lambd, m):
    """``dW = (lambd/m)*W``: the penalty's gradient replaces the data gradient instead of adding to it."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = (lambd / m) * W
    return out


# --------------------------------------------------------------------------- L1 cost mistakes


def l1_cost_with_biases(params, lambd, m):
    """Every array of ``params`` penalized, the biases included."""
    return float((lambd / m) * sum(np.sum(np.abs(P)) for P in params.values()))


def l1_cost_half(params, lambd, m):
    """``(lambd/(2m)) * Σ|W|``: L2's factor 1/(2m) borrowed for L1."""
    return float((lambd / (2 * m)) * sum(np.sum(np.abs(W)) for k, W in params.items() if k.startswith("W")))


def l1_cost_no_abs(params, lambd, m):
    """``Σ W`` without the absolute value: negative weights lower the penalty."""
    return float((lambd / m) * sum(np.sum(W) for k, W in params.items() if k.startswith("W")))


def l1_cost_last_weight_only(params, lambd, m):
    """The loop overwrites the total: only the last weight counts."""
    total = 0.0
    for key, W in params.items():
        if key.startswith("W"):
            total = np.sum(np.abs(W))
    return float((lambd / m) * total)


# --------------------------------------------------------------------------- L1 gradient mistakes


def l1_grads_sign_by_division(grads, params, lambd, m):
    """``sign(W)`` computed as ``W/|W|``: NaN (0/0) where a weight is exactly 0."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            with np.errstate(invalid="ignore", divide="ignore"):
                out["d" + key] = out["d" + key] + (lambd / m) * (W / np.abs(W))
    return out


def l1_grads_derivative_one(grads, params, lambd, m):
    """The derivative of ``|W|`` taken as 1: every ``dW`` gets ``+ lambd/m`` whatever W's sign."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = out["d" + key] + lambd / m
    return out


def l1_grads_with_biases(grads, params, lambd, m):
    """Every gradient gets ``+ (lambd/m)*sign(param)``, ``db`` included."""
    return {"d" + key: grads["d" + key] + (lambd / m) * np.sign(P) for key, P in params.items()}


def l1_grads_sign_zero_positive(grads, params, lambd, m):
    """``np.where(W >= 0, 1, -1)``: a weight that is exactly 0 is pushed as if it were positive."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = out["d" + key] + (lambd / m) * np.where(W >= 0, 1.0, -1.0)
    return out


def l1_grads_in_place(grads, params, lambd, m):
    """Adds to the caller's ``grads`` in place and returns that same dict."""
    for key, W in params.items():
        if key.startswith("W"):
            grads["d" + key] += (lambd / m) * np.sign(W)
    return grads


# --------------------------------------------------------------------------- Elastic Net cost mistakes


def elastic_net_cost_l2_without_half(params, lambd1, lambd2, m):
    """The L2 part as ``(lambd2/m)*ΣW²``: its 1/2 forgotten."""
    weights = [W for k, W in params.items() if k.startswith("W")]
    l1 = sum(np.sum(np.abs(W)) for W in weights)
    l2 = sum(np.sum(W**2) for W in weights)
    return float((lambd1 / m) * l1 + (lambd2 / m) * l2)


def elastic_net_cost_with_biases(params, lambd1, lambd2, m):
    """Both penalties over every array of ``params``, the biases included."""
    l1 = sum(np.sum(np.abs(P)) for P in params.values())
    l2 = sum(np.sum(P**2) for P in params.values())
    return float((lambd1 / m) * l1 + (lambd2 / (2 * m)) * l2)


def elastic_net_cost_swapped(params, lambd1, lambd2, m):
    """``lambd1`` on the squares and ``lambd2`` on the absolute values (the two strengths swapped)."""
    weights = [W for k, W in params.items() if k.startswith("W")]
    l1 = sum(np.sum(np.abs(W)) for W in weights)
    l2 = sum(np.sum(W**2) for W in weights)
    return float((lambd2 / m) * l1 + (lambd1 / (2 * m)) * l2)


def elastic_net_cost_no_abs(params, lambd1, lambd2, m):
    """The L1 part as ``ΣW`` without the absolute value."""
    weights = [W for k, W in params.items() if k.startswith("W")]
    l1 = sum(np.sum(W) for W in weights)
    l2 = sum(np.sum(W**2) for W in weights)
    return float((lambd1 / m) * l1 + (lambd2 / (2 * m)) * l2)


# --------------------------------------------------------------------------- Elastic Net gradient mistakes


def elastic_net_grads_half(grads, params, lambd1, lambd2, m):
    """The L2 term as ``(lambd2/(2m))*W``: the cost's factor reused for the gradient."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = out["d" + key] + (lambd1 / m) * np.sign(W) + (lambd2 / (2 * m)) * W
    return out


def elastic_net_grads_with_biases(grads, params, lambd1, lambd2, m):
    """Both penalty gradients added to every entry, ``db`` included."""
    return {
        "d" + key: grads["d" + key] + (lambd1 / m) * np.sign(P) + (lambd2 / m) * P
        for key, P in params.items()
    }


def elastic_net_grads_swapped(grads, params, lambd1, lambd2, m):
    """``lambd2`` on ``sign(W)`` and ``lambd1`` on ``W`` (the two strengths swapped)."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = out["d" + key] + (lambd2 / m) * np.sign(W) + (lambd1 / m) * W
    return out


def elastic_net_grads_sign_by_division(grads, params, lambd1, lambd2, m):
    """``sign(W)`` as ``W/|W|``: NaN where a weight is exactly 0."""
    out = {key: value.copy() for key, value in grads.items()}
    for key, W in params.items():
        if key.startswith("W"):
            with np.errstate(invalid="ignore", divide="ignore"):
                out["d" + key] = out["d" + key] + (lambd1 / m) * (W / np.abs(W)) + (lambd2 / m) * W
    return out


def elastic_net_grads_in_place(grads, params, lambd1, lambd2, m):
    """Adds to the caller's ``grads`` in place and returns that same dict."""
    for key, W in params.items():
        if key.startswith("W"):
            grads["d" + key] += (lambd1 / m) * np.sign(W) + (lambd2 / m) * W
    return grads


# --------------------------------------------------------------------------- more mistakes (issue 14)


def l2_cost_norm_not_squared(params, lambd, m):
    """``‖W‖`` (the Frobenius norm) instead of ``‖W‖²``: the square root of the sum of squares."""
    return float((lambd / (2 * m)) * sum(np.linalg.norm(W) for k, W in params.items() if k.startswith("W")))


def l2_cost_precedence(params, lambd, m):
    """``lambd / 2 * m``: read by Python as ``(λ/2)·m``, not ``λ/(2m)``."""
    return float(lambd / 2 * m * sum(np.sum(W**2) for k, W in params.items() if k.startswith("W")))


def l2_cost_mean_not_sum(params, lambd, m):
    """``np.mean(W**2)`` per weight: the squares averaged instead of summed."""
    return float((lambd / (2 * m)) * sum(np.mean(W**2) for k, W in params.items() if k.startswith("W")))


def l2_grads_no_one_over_m(grads, params, lambd, m):
    """``dW + lambd*W``: the 1/m forgotten."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + lambd * W
    return out


def l2_grads_doubled(grads, params, lambd, m):
    """``dW + 2*(lambd/m)*W``: the derivative of ``(λ/m)·W²``, as if the cost had no 1/2."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + 2 * (lambd / m) * W
    return out


def l1_cost_no_one_over_m(params, lambd, m):
    """``lambd * Σ|W|``: the 1/m forgotten."""
    return float(lambd * sum(np.sum(np.abs(W)) for k, W in params.items() if k.startswith("W")))


def l1_cost_squares(params, lambd, m):
    """``(lambd/m) * ΣW²``: squares summed instead of absolute values (L2's sum)."""
    return float((lambd / m) * sum(np.sum(W**2) for k, W in params.items() if k.startswith("W")))


def l1_grads_no_one_over_m(grads, params, lambd, m):
    """``dW + lambd*sign(W)``: the 1/m forgotten."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + lambd * np.sign(W)
    return out


def l1_grads_l2_gradient(grads, params, lambd, m):
    """``dW + (lambd/m)*W``: L2's gradient (W itself) instead of ``sign(W)``."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + (lambd / m) * W
    return out


def elastic_net_cost_l1_half(params, lambd1, lambd2, m):
    """The L1 part as ``(lambd1/(2m))*Σ|W|``: L2's 1/2 given to both parts."""
    weights = [W for k, W in params.items() if k.startswith("W")]
    l1 = sum(np.sum(np.abs(W)) for W in weights)
    l2 = sum(np.sum(W**2) for W in weights)
    return float((lambd1 / (2 * m)) * l1 + (lambd2 / (2 * m)) * l2)


def elastic_net_cost_no_one_over_m(params, lambd1, lambd2, m):
    """``lambd1*Σ|W| + (lambd2/2)*ΣW²``: the 1/m forgotten in both parts."""
    weights = [W for k, W in params.items() if k.startswith("W")]
    l1 = sum(np.sum(np.abs(W)) for W in weights)
    l2 = sum(np.sum(W**2) for W in weights)
    return float(lambd1 * l1 + (lambd2 / 2) * l2)


def elastic_net_grads_sign_zero_positive(grads, params, lambd1, lambd2, m):
    """``np.where(W >= 0, 1, -1)`` as the sign: an exact 0 treated as positive."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + (lambd1 / m) * np.where(W >= 0, 1.0, -1.0) + (lambd2 / m) * W
    return out


def elastic_net_grads_no_one_over_m(grads, params, lambd1, lambd2, m):
    """``dW + lambd1*sign(W) + lambd2*W``: the 1/m forgotten."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + lambd1 * np.sign(W) + lambd2 * W
    return out


def l2_cost_no_one_over_m(params, lambd, m):
    """``(lambd/2) * ΣW²``: the 1/m forgotten (the penalty of a summed, not averaged, data cost)."""
    return float((lambd / 2) * sum(np.sum(W**2) for k, W in params.items() if k.startswith("W")))


def l1_cost_l2_norm(params, lambd, m):
    """``(lambd/m) * ‖W‖``: the Euclidean (L2) norm of each weight instead of the sum of absolute values."""
    return float((lambd / m) * sum(np.linalg.norm(W) for k, W in params.items() if k.startswith("W")))


def l2_cost_cs231n(params, lambd, m):
    """``lambd * ΣW²`` (CS231n's ``reg * np.sum(W * W)``): no 1/2 and no 1/m."""
    return float(lambd * sum(np.sum(W * W) for k, W in params.items() if k.startswith("W")))


def l2_grads_cs231n(grads, params, lambd, m):
    """``dW + 2*lambd*W`` (CS231n's ``2 * reg * W``): the gradient of ``λ·ΣW²``."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + 2 * lambd * W
    return out


def l1_grads_sign_zero_negative(grads, params, lambd, m):
    """``np.where(W > 0, 1, -1)``: a weight that is exactly 0 is pushed as if it were negative."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + (lambd / m) * np.where(W > 0, 1.0, -1.0)
    return out


def l2_grads_squared(grads, params, lambd, m):
    """``dW + (lambd/m)*W**2``: the weight squared in the gradient (the cost's term, not its derivative)."""
    out = dict(grads)
    for key, W in params.items():
        if key.startswith("W"):
            out["d" + key] = grads["d" + key] + (lambd / m) * W**2
    return out
