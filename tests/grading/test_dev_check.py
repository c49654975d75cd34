"""The dev check: for every exercise file, the worked solution passes, the starter fails, and every
known mistake fails with its own name in the diagnosis. Parametrized over the files found in
``lessons/exercises/``, so new exercises are checked as soon as they are added."""

from __future__ import annotations

import numpy as np
import pytest

from ._grading_helpers import EXERCISE_FILES, exercise_at, mistake_source
from tutor.grading.grade import MIN_RANDOM_CASES, build_cases, grade
from tutor.grading.sandbox import Sandbox

SEEDS = (20251125, 7)


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox() as sb:
        yield sb


def _ids(paths):
    return [p.stem for p in paths]


def _mistakes():
    out = []
    for path in EXERCISE_FILES:
        try:
            ex = exercise_at(path)
        except AssertionError:
            continue  # reported by test_solution_passes
        out += [pytest.param(path, m.name, id=f"{path.stem}:{m.name}") for m in ex.mistakes]
    return out


def test_there_are_exercises():
    assert len(EXERCISE_FILES) >= 12


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
@pytest.mark.parametrize("seed", SEEDS)
def test_solution_passes(path, seed, sandbox):
    ex = exercise_at(path)
    v = grade(ex, ex.solution, filename=f"{ex.id}.py", seed=seed, sandbox=sandbox)
    failing = [(c.name, c.message) for c in v.cases if not c.passed]
    assert v.passed, f"{v.summary} {v.message} {failing[:3]}"
    assert v.status == "ok" and v.cases_total >= MIN_RANDOM_CASES


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
def test_starter_fails(path, sandbox):
    ex = exercise_at(path)
    v = grade(ex, ex.starter, filename=f"{ex.id}.py", seed=SEEDS[0], sandbox=sandbox)
    assert not v.passed
    assert v.cases_passed == 0, "the starter should fail every case"
    assert not v.diagnosis, f"the starter matches known mistakes {[d.name for d in v.diagnosis]}"


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
def test_at_least_three_mistakes(path):
    ex = exercise_at(path)
    assert len(ex.mistakes) >= 3, f"{ex.id}: only {len(ex.mistakes)} known mistakes"


@pytest.mark.parametrize(("path", "name"), _mistakes())
@pytest.mark.parametrize("seed", SEEDS)
def test_mistake_is_diagnosed(path, name, seed, sandbox):
    ex = exercise_at(path)
    mistake = next(m for m in ex.mistakes if m.name == name)
    v = grade(ex, mistake_source(ex, mistake), filename=f"{ex.id}.py", seed=seed, sandbox=sandbox)
    assert not v.passed, f"{ex.id}: mistake {name} passes: no case tells it from the right answer"
    assert v.status == "ok", v.message
    names = [d.name for d in v.diagnosis]
    assert name in names, f"{ex.id}: mistake {name} not diagnosed (diagnosis: {names}); first failure: {v.first_failure}"


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
def test_cases_are_random_and_replayable(path):
    """At least 8 cases change with the seed; the same seed gives the same cases."""
    ex = exercise_at(path)
    a, a2, b = build_cases(ex, 1), build_cases(ex, 1), build_cases(ex, 2)
    assert len(a) == len(a2) and all(_same(x, y) for x, y in zip(a, a2))
    by_name = {c["name"]: c for c in b}
    changed = sum(1 for c in a if c["name"] not in by_name or not _same(c, by_name[c["name"]]))
    assert changed >= MIN_RANDOM_CASES, f"{ex.id}: only {changed} cases depend on the seed"


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
def test_mistakes_are_told_apart_from_each_other(path):
    """No two known mistakes agree on every case: each diagnosis names one mistake, not a group."""
    import itertools

    from tutor.grading.grade import _agree, mistake_namespace, reference_namespace
    from tutor.grading.program import run_case

    ex = exercise_at(path)
    cases = build_cases(ex, SEEDS[0])
    reference = reference_namespace(ex)
    runs = {}
    with np.errstate(all="ignore"):
        for m in ex.mistakes:
            ns = mistake_namespace(ex, m, reference)
            runs[m.name] = [run_case(ns, c) for c in cases]
    for a, b in itertools.combinations(runs, 2):
        same = all(_agree(c, x, y, ex) for c, x, y in zip(cases, runs[a], runs[b]))
        assert not same, f"{ex.id}: mistakes {a} and {b} agree on every case; add a case that tells them apart"


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
def test_every_mistake_is_caught_on_many_seeds(path):
    """In-process, over 12 seeds: the reference passes its own comparison, and every known mistake
    differs from it on at least one case of every seed (a check never lets a known mistake pass)."""
    from tutor.grading.compare import compare_case
    from tutor.grading.grade import mistake_namespace, reference_namespace
    from tutor.grading.program import run_case

    ex = exercise_at(path)
    reference = reference_namespace(ex)
    namespaces = {m.name: mistake_namespace(ex, m, reference) for m in ex.mistakes}
    with np.errstate(all="ignore"):
        for seed in range(100, 112):
            cases = build_cases(ex, seed)
            expected = [run_case(reference, c) for c in cases]
            assert all(e.error is None for e in expected), f"{ex.id}: the reference fails (seed {seed})"
            for name, ns in namespaces.items():
                caught = False
                for c, e in zip(cases, expected):
                    got = run_case(ns, c)
                    if got.error is not None or compare_case(c, e.outputs, got.outputs, rtol=ex.rtol, atol=ex.atol):
                        caught = True
                        break
                assert caught, f"{ex.id}: mistake {name} passes every case of seed {seed}"


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=_ids(EXERCISE_FILES))
def test_mistake_messages_are_in_the_learners_terms(path):
    """A message names no internal id (module path or implementation name) and is not a bare label."""
    ex = exercise_at(path)
    for m in ex.mistakes:
        text = m.message.strip()
        impl_name = m.impl.rsplit(".", 1)[-1]
        assert "tutor." not in text and impl_name not in text, f"{ex.id}: {m.name}'s message names internals"
        assert len(text.split()) >= 12 and text[-1] in ".`)", f"{ex.id}: {m.name}'s message is too short: {text!r}"
