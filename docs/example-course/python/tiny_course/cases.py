"""Case generators: ``def gen(rng) -> list[case program]`` (see docs/internals.md, "Case programs")."""

from __future__ import annotations

import numpy as np


def ewa_cases(rng: np.random.Generator) -> list[dict]:
    cases = []
    for i in range(8):
        n = int(rng.integers(1, 20))
        xs = rng.normal(0.0, 10.0 ** rng.uniform(-3, 3), size=n)
        beta = float(rng.choice([0.0, 0.5, 0.9, 0.99, rng.uniform(0, 0.999)]))
        cases.append({
            "name": f"random {i + 1}: {n} values, beta={beta:.3g}",
            "ops": [{"op": "call", "fn": "ewa", "kwargs": {"xs": xs, "beta": beta}, "out": "v"}],
        })
    return cases
