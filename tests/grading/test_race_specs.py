"""The races the app runs after an optimizer exercise passes come from the exercise files'
``race:`` field (``Exercise.race``); each one drives the reference to convergence on the bowl."""

from __future__ import annotations

import math

import pytest

from ._grading_helpers import EXERCISE_FILES, exercise_at
from tutor.app import race

RACED = ("momentum", "adagrad", "rmsprop", "adam", "adamax", "nadam", "optimizer_classes", "optimizer_nine")


def _quadratic(path):
    ex = exercise_at(path)
    return ex.race is not None and ex.race.kind == "quadratic"


QUADRATIC = [p for p in EXERCISE_FILES if _quadratic(p)]


def test_every_optimizer_exercise_has_its_race_in_its_file():
    ids = {exercise_at(p).id for p in QUADRATIC}
    assert set(RACED) <= ids, f"no race: for {sorted(set(RACED) - ids)}"


@pytest.mark.parametrize("path", QUADRATIC, ids=[p.stem for p in QUADRATIC])
def test_the_race_runs_the_reference_to_convergence(path):
    ex = exercise_at(path)
    spec = race.spec_for(ex)
    assert spec is not None and spec.name in ex.names and spec.lr == ex.race.lr
    losses = race.reference_losses(spec, ex.reference, ex.python_path)
    assert len(losses) == race.STEPS + 1
    assert all(math.isfinite(x) for x in losses)
    assert losses[-1] < losses[0] * 0.2, f"{ex.id}: the reference does not get down the bowl ({losses[-1]:.3g})"


def test_an_exercise_without_race_has_no_spec():
    ex = exercise_at(next(p for p in EXERCISE_FILES if p.stem == "l2_cost"))
    assert ex.race is None and race.spec_for(ex) is None
