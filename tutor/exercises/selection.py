"""Cases and known mistakes of ``early_stopping`` and ``kfold_indices`` (lesson 8.5).

``early_stopping(val_losses, patience)``: walk ``e = 0, 1, …``; if ``val_losses[e] <
val_losses[best]`` then ``best = e`` (strictly lower; ``best`` starts at 0); then if ``e − best ==
patience`` stop at ``e``. Returns ``(best, stop)``, ``stop = len − 1`` when it never triggers.

``kfold_indices(m, k, rng)``: ``perm = rng.permutation(m)``; ``folds = np.array_split(perm, k)``;
``k`` pairs ``(train_idx, val_idx)``, ``val_idx = folds[i]``, ``train_idx`` the other folds
concatenated in order. Both sides get identically seeded generators (``Rng`` markers).

The loss sequences hold ties (a later loss equal to the best), plateaus, bumps that a larger
patience forgives, sequences that never trigger, and a single loss; the k-fold cases hold ``k``
not dividing ``m``, ``k = 2`` and ``k = m``. Mistakes are self-contained (``numpy`` only).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutor.grading.cases import Rng, call_case, rng_marker

# --------------------------------------------------------------------------- early stopping

_LESSON = [1.0, 0.8, 0.7, 0.72, 0.69, 0.71, 0.73, 0.75]


def _losses(rng: np.random.Generator, n: int) -> np.ndarray:
    """A noisy, overfitting-shaped validation curve on a coarse grid (so ties happen)."""
    turn = int(rng.integers(0, n))
    e = np.arange(n)
    curve = 1.0 + 0.04 * (e - turn) ** 2 / max(1, n) * 3
    noise = rng.integers(-2, 3, size=n) * 0.02
    values = np.round(curve + noise, 2)
    if rng.random() < 0.5 and n > 3:  # a plateau: a run of equal losses
        start = int(rng.integers(0, n - 2))
        length = int(rng.integers(2, min(5, n - start) + 1))
        values[start : start + length] = values[start]
    return values


def early_stopping_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    def es(name: str, losses: Any, patience: int) -> dict[str, Any]:
        return call_case(name, "early_stopping", val_losses=losses, patience=patience)

    cases = [
        es("the lesson's curve, patience 2", np.array(_LESSON), 2),
        es("the lesson's curve, patience 1", np.array(_LESSON), 1),
        es("a tie with the best is not an improvement", np.array([0.9, 0.6, 0.7, 0.6, 0.65, 0.6, 0.8]), 3),
        es("a plateau after the first epoch (best stays 0)", np.array([0.5, 0.5, 0.5, 0.5, 0.5]), 2),
        es("never triggers: stop is the last epoch", np.array([1.0, 0.9, 0.95, 0.85, 0.8, 0.82]), 3),
        es("strictly decreasing", np.array([3.0, 2.0, 1.5, 1.2, 1.1]), 1),
        es("a single loss", np.array([0.42]), 1),
        es("patience longer than the run", np.array([0.3, 0.4, 0.5]), 10),
        es("a loss that beats the previous epoch but not the best",
           np.array([0.5, 0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.45]), 4),
        es("stops exactly at the last epoch", np.array([0.6, 0.5, 0.7, 0.8, 0.9]), 3),
        es("a Python list", [0.8, 0.7, 0.75, 0.7, 0.71, 0.72, 0.73], 2),
    ]
    for i in range(10):
        n = int(rng.integers(2, 31))
        patience = int(rng.integers(1, 7))
        losses = _losses(rng, n)
        cases.append(es(f"random {i + 1}: {n} epochs, patience {patience}", losses, patience))
    return cases


def early_stopping_less_or_equal(val_losses, patience):
    """``<=`` instead of ``<``: a tie with the best counts as an improvement and moves ``best``."""
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] <= val_losses[best]:
            best = e
        if e - best == patience:
            return best, e
    return best, len(val_losses) - 1


def early_stopping_one_late(val_losses, patience):
    """Stops when ``e − best > patience``: one epoch too late."""
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best > patience:
            return best, e
    return best, len(val_losses) - 1


def early_stopping_returns_counter(val_losses, patience):
    """Returns the epochs-without-improvement counter as ``stop`` instead of the epoch."""
    best, wait = 0, 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best, wait = e, 0
        else:
            wait = e - best
        if wait == patience:
            return best, wait
    return best, wait


def early_stopping_previous_epoch(val_losses, patience):
    """Compares each loss with the previous epoch's instead of the best so far."""
    best, wait = 0, 0
    for e in range(1, len(val_losses)):
        if val_losses[e] < val_losses[e - 1]:
            wait = 0
            if val_losses[e] < val_losses[best]:
                best = e
        else:
            wait += 1
        if wait == patience:
            return best, e
    return best, len(val_losses) - 1


def early_stopping_len_when_never(val_losses, patience):
    """Returns ``len(val_losses)`` (one past the last epoch) when the rule never triggers."""
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best == patience:
            return best, e
    return best, len(val_losses)


# --------------------------------------------------------------------------- k-fold


def kfold_indices_cases(rng: np.random.Generator) -> list[dict[str, Any]]:
    def kf(name: str, m: int, k: int, seed: Any = None) -> dict[str, Any]:
        return call_case(name, "kfold_indices", m=m, k=k, rng=rng_marker(rng) if seed is None else seed)

    cases = [
        kf("the lesson's example: m = 10, k = 3, default_rng(0)", 10, 3, Rng(0)),
        kf("k divides m: m = 12, k = 4", 12, 4),
        kf("k = 2, m odd", 7, 2),
        kf("k = m (leave one out)", 6, 6),
        kf("the smallest: m = 2, k = 2", 2, 2),
        kf("m = 14, k = 4: folds of 4, 4, 3, 3", 14, 4),
        kf("m = 11, k = 5: one fold longer", 11, 5),
    ]
    for i in range(9):
        m = int(rng.integers(3, 41))
        k = int(rng.integers(2, min(m, 10) + 1))
        if rng.random() < 0.6 and m % k == 0 and k < m:  # favour k not dividing m
            m += 1
        cases.append(kf(f"random {i + 1}: m = {m}, k = {k}", m, k))
    return cases


def kfold_indices_no_shuffle(m, k, rng):
    """Folds of ``range(m)`` in order: nothing shuffled."""
    folds = np.array_split(np.arange(m), k)
    return [(np.concatenate([folds[j] for j in range(k) if j != i]), folds[i]) for i in range(k)]


def kfold_indices_train_sorted(m, k, rng):
    """``train_idx = np.setdiff1d(perm, val_idx)``: right examples, but sorted, not in fold order."""
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    return [(np.setdiff1d(perm, folds[i]), folds[i]) for i in range(k)]


def kfold_indices_remainder_last(m, k, rng):
    """Folds of ``m // k`` examples with the remainder added to the last fold (not ``array_split``)."""
    perm = rng.permutation(m)
    size = m // k
    folds = [perm[i * size : (i + 1) * size] for i in range(k - 1)] + [perm[(k - 1) * size :]]
    return [(np.concatenate([folds[j] for j in range(k) if j != i]), folds[i]) for i in range(k)]


def kfold_indices_folds_shuffled(m, k, rng):
    """Splits ``range(m)`` in order, then shuffles the order of the folds (not the examples)."""
    folds = np.array_split(np.arange(m), k)
    folds = [folds[j] for j in rng.permutation(k)]
    return [(np.concatenate([folds[j] for j in range(k) if j != i]), folds[i]) for i in range(k)]


def kfold_indices_pairs_swapped(m, k, rng):
    """Each pair is ``(val_idx, train_idx)``: the two halves in the wrong order."""
    perm = rng.permutation(m)
    folds = np.array_split(perm, k)
    return [(folds[i], np.concatenate([folds[j] for j in range(k) if j != i])) for i in range(k)]


# --------------------------------------------------------------------------- more mistakes (issue 14)


def early_stopping_one_based(val_losses, patience):
    """The right rule, but the epochs returned 1-based (``best + 1``, ``stop + 1``), as training logs print them."""
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best == patience:
            return best + 1, e + 1
    return best + 1, len(val_losses)


def kfold_indices_drops_remainder(m, k, rng):
    """``np.split`` of the first ``(m // k) * k`` indices: the ``m % k`` last shuffled examples are never used."""
    perm = rng.permutation(m)
    folds = np.split(perm[: (m // k) * k], k)
    return [(np.concatenate([folds[j] for j in range(k) if j != i]), folds[i]) for i in range(k)]


def early_stopping_swapped(val_losses, patience):
    """Returns ``(stop, best)``: the two results in the wrong order."""
    best = 0
    for e in range(len(val_losses)):
        if val_losses[e] < val_losses[best]:
            best = e
        if e - best == patience:
            return e, best
    return len(val_losses) - 1, best


def early_stopping_check_before_update(val_losses, patience):
    """Tests ``e − best == patience`` before updating ``best``: an improvement at the stopping epoch is missed."""
    best = 0
    for e in range(len(val_losses)):
        if e - best == patience:
            return best, e
        if val_losses[e] < val_losses[best]:
            best = e
    return best, len(val_losses) - 1
