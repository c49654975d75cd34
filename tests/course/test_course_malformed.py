"""The malformed-lesson suite: each file under ``malformed/`` breaks one rule.

A file's header says where it goes and what must be reported::

    # kind: lesson | extra-lesson | exercise | extra-exercise | course
    # resolve: true                  (the error needs the dotted paths imported)
    # expect: LINE: FIELD: MESSAGE   (one line per error; FIELD may be empty)

The test puts the file into a copy of the small valid course ``wrapper/`` and asserts that the
validator reports exactly the expected errors — the file, the line, the field and the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from .conftest import MALFORMED, build_course

from tutor.course import CourseError, load_course, validate_course

_EXPECT = re.compile(r"^# expect: (\d+): ([^:]*): (.+)$")


@dataclass(frozen=True)
class Case:
    path: Path
    kind: str
    resolve: bool
    expected: tuple[tuple[int, str, str], ...]


def read_case(path: Path) -> Case:
    kind, resolve, expected = "", False, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# kind: "):
            kind = line.removeprefix("# kind: ").strip()
        elif line.strip() == "# resolve: true":
            resolve = True
        elif m := _EXPECT.match(line):
            expected.append((int(m[1]), m[2].strip(), m[3].strip()))
    assert kind and expected, f"{path.name}: header needs '# kind:' and '# expect:'"
    return Case(path, kind, resolve, tuple(expected))


CASES = sorted(MALFORMED.glob("*.yaml"))


def test_the_suite_has_at_least_twenty_broken_files() -> None:
    assert len(CASES) >= 20


CHECK_SECONDS = "3"  # the time limit of a check's code in this suite (49_check_loops_forever)


def test_the_suite_has_at_least_fifty_one_broken_files() -> None:
    assert len(CASES) >= 51


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_malformed_file_is_reported_with_line_field_and_message(path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TUTOR_CHECK_SECONDS", CHECK_SECONDS)
    case = read_case(path)
    target = build_course(tmp_path, case.kind, path.name, path.read_text(encoding="utf-8"))
    result = validate_course(target.parents[0] if case.kind == "course" else target.parents[1], resolve=case.resolve)
    got = [(e.path.name, e.line, e.field, e.message) for e in result.errors]
    want = [(target.name, line, field, message) for line, field, message in case.expected]
    assert [g[:3] for g in got] == [w[:3] for w in want], "\n".join(map(str, result.errors))
    for g, w in zip(got, want):
        assert g[3] == w[3], f"message: {g[3]!r} != {w[3]!r}"
    assert result.course is None


@pytest.mark.parametrize("path", [p for p in CASES if not read_case(p).resolve], ids=lambda p: p.stem)
def test_loading_a_malformed_course_raises_course_error(path: Path, tmp_path: Path) -> None:
    case = read_case(path)
    target = build_course(tmp_path, case.kind, path.name, path.read_text(encoding="utf-8"))
    root = target.parent if case.kind == "course" else target.parent.parent
    with pytest.raises(CourseError) as info:
        load_course(root)
    assert [(e.line, e.field) for e in info.value.errors] == [(x[0], x[1]) for x in case.expected]
    first = info.value.errors[0]
    assert f"{first.path}:{first.line}: " in str(info.value)
