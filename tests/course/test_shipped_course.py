"""The shipped course: it validates with every dotted path resolved, holds what curriculum.md asks,
every plot's experiment runs at its defaults and at the extremes of each setting, every number a
text step or a plot caption shows is what the core computes, and every exercise's starter and solution parse."""

from __future__ import annotations

import ast
import functools
import math
from pathlib import Path
from typing import Any

import pytest

from tutor.course import load_course, validate_course
from tutor.course.contract import CONTRACT_IDS, LESSON_EXERCISES, SHIPPED_LESSONS
from tutor.course.loader import read_course
from tutor.course.model import Exercise, NumberCheck, PlotStep, TextStep
from tutor.course.resolve import resolve
from tutor.course.validate import check_matches, check_namespace, evaluate_check
from tutor.paths import shipped_lessons_dir

ROOT = shipped_lessons_dir()
# read once at collection: the parts that loaded cleanly (the tests below fail loudly on the rest)
_LOADED = read_course(ROOT)


def _plot_variants() -> list[Any]:
    params = []
    for loc in _LOADED.plots:
        step: PlotStep = loc.obj
        lesson = loc.path.stem
        params.append(pytest.param(step, {}, id=f"{lesson}:{step.id}:defaults"))
        for s in step.settings:
            if s.type in ("float", "int"):
                values = [s.min, s.max]
            elif s.type == "choice":
                values = list(s.choices)
            else:
                values = [False, True]
            for v in values:
                params.append(pytest.param(step, {s.name: v}, id=f"{lesson}:{step.id}:{s.name}={v}"))
    return params


def _checks() -> list[Any]:
    params = []
    for i, loc in enumerate(_LOADED.checks):
        step: TextStep | PlotStep = loc.obj
        for j, check in enumerate(step.checks):
            params.append(pytest.param(i, check, id=f"{loc.path.stem}:{step.id}:{check.shows}:{j}"))
    return params


@functools.cache
def _namespace(i: int) -> dict[str, Any]:
    """The eval namespace of the i-th step with checks, built once (a plot's run() caches its figures)."""
    return check_namespace(_LOADED.checks[i].obj)


def _exercises() -> list[Any]:
    return [pytest.param(loc.obj, id=loc.obj.id) for loc in _LOADED.exercises]


def test_shipped_course_validates_with_every_path_resolved() -> None:
    result = validate_course(ROOT, resolve=True)
    assert result.ok, "\n".join(map(str, result.errors))
    assert result.notes == ()  # the shipped course brings no Python of its own


def test_all_lessons_in_order_with_a_notation_page() -> None:
    course = load_course(ROOT)
    assert [lesson.id for lesson in course.lessons] == list(SHIPPED_LESSONS)
    assert [m.id for m in course.modules] == ["7", "8", "9", "C"]  # C: the capstone
    assert course.notation.strip(), "the notation page is empty"


def test_every_contract_exercise_is_in_a_lesson() -> None:
    course = load_course(ROOT)
    missing = [ex_id for ex_id in CONTRACT_IDS if not course.lessons_with(ex_id)]
    assert missing == [], f"contract exercises no lesson holds: {missing}"


@pytest.mark.parametrize(("lessons", "exercises"), list(LESSON_EXERCISES.items()),
                         ids=["/".join(k) for k in LESSON_EXERCISES])
def test_every_lessons_table_exercise_is_in_its_lesson(lessons: tuple[str, ...], exercises: tuple[str, ...]) -> None:
    course = load_course(ROOT)
    held = {e.id for lid in lessons if (lesson := course.lesson(lid)) for e in lesson.exercises}
    assert [e for e in exercises if e not in held] == []


def test_every_lesson_has_a_quiz() -> None:
    course = load_course(ROOT)
    assert [lesson.id for lesson in course.lessons if not any(s.type == "quiz" for s in lesson.steps)] == []


def test_the_collection_saw_the_course() -> None:
    """Guards the parametrized tests below: with no plots, checks or exercises they would pass vacuously."""
    assert _LOADED.plots and _LOADED.checks and _LOADED.exercises


@pytest.mark.parametrize(("step", "override"), _plot_variants())
def test_plot_experiment_runs_and_returns_a_finite_figure(step: PlotStep, override: dict[str, Any]) -> None:
    np = pytest.importorskip("numpy")
    from tutor.core.figure import Figure

    fn = resolve(step.experiment)
    figure = fn(**{**step.defaults, **override})
    assert isinstance(figure, Figure), f"{step.experiment} returned {type(figure).__name__}"
    assert figure.series, "a figure with no series draws nothing"
    for s in figure.series:
        assert len(s.x) == len(s.y)
        assert np.all(np.isfinite(s.x)) and np.all(np.isfinite(s.y)), f"series {s.label!r} is not finite"


@pytest.mark.parametrize(("step_index", "check"), _checks())
def test_number_in_text_is_what_the_core_computes(step_index: int, check: NumberCheck) -> None:
    """Text steps' and plot captions' numbers; a plot's checks may call ``run(**overrides)``."""
    pytest.importorskip("numpy")
    value = evaluate_check(check, _namespace(step_index))
    assert check_matches(check, value), f'the text shows {check.shows} but {check.code} = {value!r}'


@pytest.mark.parametrize("exercise", _exercises())
def test_starter_and_solution_parse(exercise: Exercise) -> None:
    for code in (exercise.starter, exercise.solution):
        tree = ast.parse(code)
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        assert set(exercise.names) <= defined, f"{exercise.id}: defines {sorted(defined)}, needs {exercise.names}"
    assert len(exercise.hints) >= 2
    assert not math.isnan(exercise.rtol) and exercise.rtol >= 0 and exercise.atol >= 0
