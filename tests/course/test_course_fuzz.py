"""Whatever a lesson file holds, the loader answers with errors (file, line, message), never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from .conftest import WRAPPER
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.course import validate_course

BASE = yaml.safe_load((WRAPPER / "m" / "00_base.yaml").read_text())
DEMO = yaml.safe_load((WRAPPER / "exercises" / "00_demo.yaml").read_text())

values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, prefix + (i,))
    return out


def _replace(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[path[0]] = _replace(doc[path[0]], path[1:], value)
    return copy


def _validate(lesson_text: str, exercise_text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(WRAPPER, root, ignore=shutil.ignore_patterns("__pycache__"))
        (root / "m" / "00_base.yaml").write_text(lesson_text, encoding="utf-8")
        (root / "exercises" / "00_demo.yaml").write_text(exercise_text, encoding="utf-8")
        result = validate_course(root)
        assert (result.course is None) == bool(result.errors)
        for e in result.errors:
            assert e.line >= 0 and e.message and Path(e.path).is_relative_to(root)


@settings(max_examples=40, deadline=None)
@given(st.data(), values)
def test_any_value_in_any_field_gives_errors_not_tracebacks(data: st.DataObject, value: Any) -> None:
    lesson, exercise = BASE, DEMO
    if data.draw(st.booleans()):
        lesson = _replace(BASE, data.draw(st.sampled_from(_paths(BASE))), value)
    else:
        exercise = _replace(DEMO, data.draw(st.sampled_from(_paths(DEMO))), value)
    _validate(yaml.safe_dump(lesson, allow_unicode=True), yaml.safe_dump(exercise, allow_unicode=True))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_cut_or_garbled_text_gives_errors_not_tracebacks(data: st.DataObject) -> None:
    text = (WRAPPER / "m" / "00_base.yaml").read_text()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    filler = data.draw(st.sampled_from(["", ":", "- ", "\t", "{", "'", "&a ", "*a", "|\n", "\n  "]))
    _validate(text[:start] + filler + text[end:], (WRAPPER / "exercises" / "00_demo.yaml").read_text())
