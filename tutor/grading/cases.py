"""Helpers to build case programs (docs/internals.md, "Case programs").

A case generator is ``def <id>_cases(rng: numpy.random.Generator) -> list[dict]``: it returns its
fixed edge cases and at least 8 random ones, all drawn from ``rng`` so that a seed replays a check.
Typical use::

    from tutor.grading.cases import call, case, update_case

    def momentum_cases(rng):
        w, dw = normal(rng, (3, 2)), normal(rng, (3, 2))
        return [
            update_case("first step from zero state", "momentum_update",
                        w=w, dw=dw, v=zeros_like(w), lr=0.1),
            ...
        ]

``update_case`` adds ``"updates": {"result[0]": "w"}`` so that the grader compares ``w' − w`` as
well as ``w'``. Randomness exercises pass ``Rng(seed)`` markers (see :func:`rng_marker`): the learner
and the reference each get a fresh ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.grading.program import Ref, Rng

__all__ = [
    "Ref",
    "Rng",
    "call",
    "method",
    "new",
    "let",
    "snapshot",
    "case",
    "call_case",
    "update_case",
    "sweep_case",
    "rng_marker",
    "random_shape",
    "normal",
    "positive",
    "log_uniform",
    "with_zeros",
    "SHAPES_1D",
    "SHAPES_2D",
    "SHAPES_4D",
    "edge_case_program",
    "Quantity",
]

SHAPES_1D: tuple[tuple[int, ...], ...] = ((1,), (3,), (5,), (7,))
SHAPES_2D: tuple[tuple[int, ...], ...] = ((2, 3), (3, 2), (4, 1), (1, 5), (3, 4))
SHAPES_4D: tuple[tuple[int, ...], ...] = ((2, 1, 2, 3), (1, 2, 3, 2), (2, 2, 1, 2))


# --------------------------------------------------------------------------- quantities


@dataclass(frozen=True)
class Quantity:
    """One named quantity of a formula, as the reference computes it for one call.

    An exercise's ``quantities:`` impl returns them in the formula's order (e.g. Adam: ``v′``,
    ``s′``, ``v̂``, ``ŝ``, ``step``, ``w′``). The grader looks for each among the values the
    learner's code bound while it ran (by value, shape and tolerance, never by name) and reports
    the first one that none matches.

    - ``value``: an array or a float, or a dict/list of them (one per parameter: every leaf must
      be found).
    - ``formula``: how it is computed, in the lesson's notation (``"v′ / (1 − β₁ᵗ)"``).
    - ``needs``: the names of the earlier quantities it is computed from (a right ``v̂`` proves a
      ``v′`` the learner never bound to a name).
    - ``variants``: ``(what it is, value)`` pairs, known wrong versions: a learner value equal to
      one is explained as "your v̂ equals v′ / (1 − β₁^(t+1))".
    - ``output``: where the call's result holds it (``"[1]"``, ``""`` for the result itself): it is
      then compared with what the learner's call returned there, not looked for among its values.
    - ``relative_to``: the argument it updates (``"w"`` for ``w′``): a wrong value whose change
      from that argument is a constant times the right change is reported as such ("your step is
      10 × the right one").
    """

    name: str
    value: Any
    formula: str = ""
    needs: tuple[str, ...] = ()
    variants: tuple[tuple[str, Any], ...] = ()
    output: str | None = None
    relative_to: str | None = None


# --------------------------------------------------------------------------- ops


def call(fn: str, out: str = "result", **kwargs: Any) -> dict[str, Any]:
    """``outputs[out] = fn(**kwargs)``."""
    return {"op": "call", "fn": fn, "kwargs": kwargs, "out": out}


def new(cls: str, slot: str, **kwargs: Any) -> dict[str, Any]:
    """``slots[slot] = cls(**kwargs)``."""
    return {"op": "new", "cls": cls, "kwargs": kwargs, "slot": slot}


def method(obj: str, name: str, out: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """``outputs[out] = slots[obj].name(**kwargs)`` (the result is discarded without ``out``)."""
    op: dict[str, Any] = {"op": "method", "obj": obj, "method": name, "kwargs": kwargs}
    if out is not None:
        op["out"] = out
    return op


def let(slot: str, value: Any) -> dict[str, Any]:
    """``slots[slot] = value`` (a persistent object, passed later as ``Ref(slot)``)."""
    return {"op": "let", "slot": slot, "value": value}


def snapshot(slot: str, out: str) -> dict[str, Any]:
    """``outputs[out] = deep copy of slots[slot]``."""
    return {"op": "snapshot", "slot": slot, "out": out}


def case(name: str, *ops: Mapping[str, Any], updates: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A case program. ``updates`` maps an output path to its base (see compare.compare_case)."""
    out: dict[str, Any] = {"name": name, "ops": [dict(op) for op in ops]}
    if updates:
        out["updates"] = dict(updates)
    return out


def call_case(name: str, fn: str, out: str = "result", **kwargs: Any) -> dict[str, Any]:
    """A one-call case: ``result = fn(**kwargs)``."""
    return case(name, call(fn, out, **kwargs))


def update_case(name: str, fn: str, **kwargs: Any) -> dict[str, Any]:
    """A one-call case of an update rule returning ``(w', state'...)``: ``w' − w`` is compared too."""
    return case(name, call(fn, "result", **kwargs), updates={"result[0]": "w"})


def sweep_case(name: str, fn: str, vary: str, values: Iterable[Any], **fixed: Any) -> dict[str, Any]:
    """One call per value of argument ``vary``; outputs are named ``"<vary> <value>"``.

    For scalar functions such as schedules: ``sweep_case("n=3", "step_decay", "epoch", range(10),
    lr0=0.1, drop=0.5, epochs_per_drop=3)`` → outputs ``"epoch 0"`` … ``"epoch 9"``.
    """
    ops = [call(fn, f"{vary} {v}", **{vary: v, **fixed}) for v in values]
    # the sweep's outputs are one array for the comparison's scale (compare.compare_case)
    return {**case(name, *ops), "shared_scale": True}


def rng_marker(rng: np.random.Generator) -> Rng:
    """An ``Rng(seed)`` marker with a seed drawn from the case generator's ``rng``."""
    return Rng(int(rng.integers(0, 2**31 - 1)))


# --------------------------------------------------------------------------- data


def random_shape(rng: np.random.Generator, kinds: Sequence[str] = ("1d", "2d", "4d")) -> tuple[int, ...]:
    """A small shape of one of ``kinds`` ("1d", "2d" — never square —, "4d")."""
    kind = kinds[int(rng.integers(len(kinds)))]
    table = {"1d": SHAPES_1D, "2d": SHAPES_2D, "4d": SHAPES_4D}[kind]
    return table[int(rng.integers(len(table)))]


def normal(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    """Standard normal values times ``scale`` (float64)."""
    return rng.standard_normal(shape) * scale


def positive(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0) -> np.ndarray:
    """Values in ``[0.05, 1.05)·scale``: a plausible non-zero second moment or cache."""
    return (rng.random(shape) + 0.05) * scale


def log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """A number whose logarithm is uniform in ``[log low, log high]``."""
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def with_zeros(rng: np.random.Generator, a: np.ndarray, share: float = 0.3) -> np.ndarray:
    """A copy of ``a`` with about ``share`` of its entries set to exactly 0 (at least one)."""
    out = a.copy()
    flat = out.reshape(-1)
    mask = rng.random(flat.shape) < share
    mask[int(rng.integers(flat.size))] = True
    flat[mask] = 0.0
    return out


# --------------------------------------------------------------------------- YAML edge cases


def _literal(value: Any) -> Any:
    """A YAML literal as a case value: lists → float64 arrays, ``{rng: N}`` → ``Rng(N)``."""
    if isinstance(value, Mapping):
        if set(value) == {"rng"}:
            return Rng(int(value["rng"]))
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return np.asarray(value, dtype=np.float64)
    return value


def edge_case_program(name: str, fn: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The case program of a YAML ``edge_cases`` entry ``{name, call, args}``.

    ``args`` lists become float64 arrays (nested lists 2-D arrays), numbers stay as written, a
    mapping ``{rng: N}`` becomes ``Rng(N)``. When the arguments include an array ``w`` (an update
    rule), the update ``result[0] − w`` is compared as well.
    """
    kwargs = {k: _literal(v) for k, v in args.items()}
    updates = {"result[0]": "w"} if isinstance(kwargs.get("w"), np.ndarray) else None
    return case(name, call(fn, "result", **kwargs), updates=updates)
