"""The example course of docs/authoring.md is real: it validates, its plot runs, its numbers hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course import load_course, validate_course
from tutor.course.model import PlotStep, TextStep
from tutor.course.resolve import resolve
from tutor.course.validate import check_matches, evaluate_check

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-course"


def test_example_course_validates_with_every_path_resolved() -> None:
    result = validate_course(EXAMPLE, resolve=True)
    assert result.ok, "\n".join(map(str, result.errors))
    assert result.summary() == "1 lesson, 1 exercise, 0 errors"
    assert any("brings its own Python" in n for n in result.notes)


def test_example_course_holds_every_kind_of_step() -> None:
    course = load_course(EXAMPLE)
    (lesson,) = course.lessons
    assert {s.type for s in lesson.steps} == {"text", "plot", "quiz", "exercise"}
    assert course.notation.startswith("# Notation")
    ex = course.exercise("ewa")
    assert ex is not None and ex.extra and ex.edge_cases and ex.mistakes


def test_example_plot_and_checks_run() -> None:
    np = pytest.importorskip("numpy")
    course = load_course(EXAMPLE)
    plot = next(s for s in course.lessons[0].steps if isinstance(s, PlotStep))
    fn = resolve(plot.experiment, plot.python_path)
    for override in ({}, {"beta": 0.0}, {"beta": 0.99, "steps": 300}):
        figure = fn(**{**plot.defaults, **override})
        assert all(np.all(np.isfinite(s.y)) for s in figure.series)
    text = next(s for s in course.lessons[0].steps if isinstance(s, TextStep))
    assert len(text.checks) == 2
    for check in text.checks:
        assert check_matches(check, evaluate_check(check))


def test_example_reference_and_mistake_differ_on_the_generated_cases() -> None:
    np = pytest.importorskip("numpy")
    course = load_course(EXAMPLE)
    ex = course.exercise("ewa")
    assert ex is not None
    ref = resolve(ex.reference, ex.python_path).ewa
    wrong = resolve(ex.mistakes[0].impl, ex.python_path)
    cases = resolve(ex.cases, ex.python_path)(np.random.default_rng(0))
    assert len(cases) >= 8
    differ = [not np.allclose(ref(**c["ops"][0]["kwargs"]), wrong(**c["ops"][0]["kwargs"])) for c in cases]
    assert any(differ)


def test_authoring_doc_quotes_the_example_files_exactly() -> None:
    import re

    doc = (EXAMPLE.parents[0] / "authoring.md").read_text(encoding="utf-8")
    quoted = re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)\n```\n", doc, flags=re.S)
    assert len(quoted) == 3
    root = EXAMPLE.parents[1]
    for rel, text in quoted:
        assert (root / rel).read_text(encoding="utf-8").rstrip("\n") == text, rel
