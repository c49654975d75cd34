"""The QA corpus: learner files written from curriculum.md alone, graded end to end.

``submissions/<exercise>/pass_*.py`` are right answers in unusual styles (in place on copies, lists for
tuples, NumPy scalars, other but equivalent formula orderings, debug prints...): each must pass.
``fail_*.py`` are subtle mistakes and broken code: each must fail, with a reason on its first failing
case. ``submissions/hostile/`` are broken or hostile files graded as ``momentum`` (with a 1 s limit to
keep this fast). Optional headers in a file:

    # diagnosis: NAME     that known mistake must be among the verdict's diagnoses
    # expect: TEXT        TEXT must appear in the first failing case's message

``pass_public_*.py`` / ``fail_public_*.py`` are implementations in the style of public repositories
(CS231n and Coursera assignment solutions, d2l, numpy-ml, ML-From-Scratch, framework documentation,
tutorial blogs), written for this corpus from those styles (no code copied) and wrapped into the
course's signatures; their first line names the style (``# style: ...``). Right answers in unusual
styles pass; the share of the buggy ones that get a named diagnosis is printed and must stay ≥ 9/10.

``submissions/known_limits/<exercise>__*.py`` pass although they should not (documented limits of
the sandbox); they are strict xfails, so whoever closes a limit is told to move the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ._grading_helpers import exercise
from tutor.grading.grade import grade
from tutor.record import replace

ROOT = Path(__file__).parent / "submissions"
SEEDS = (101, 202)
HOSTILE_EXERCISE = "momentum"
HOSTILE_LIMIT = 1.0


def _files(pattern: str) -> list[Path]:
    return sorted(p for p in ROOT.glob(pattern) if p.is_file())


def _exercise_of(path: Path):
    if path.parent.name == "hostile":
        return replace(exercise(HOSTILE_EXERCISE), time_limit=HOSTILE_LIMIT)
    if path.parent.name == "known_limits":
        return exercise(path.name.split("__", 1)[0])
    return exercise(path.parent.name)


def _headers(source: str, key: str) -> list[str]:
    return [m.strip() for m in re.findall(rf"^# {key}: (.+)$", source, flags=re.M)]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _grade(path: Path, seed: int, sandbox):
    source = path.read_text()
    return source, grade(_exercise_of(path), source, filename=path.name, seed=seed, sandbox=sandbox)


def _failures(v) -> str:
    bad = [(c.name, c.message) for c in v.cases if not c.passed][:2]
    return f"{v.summary} {v.message} {bad}"


PASS = _files("*/pass_*.py")
FAIL = _files("*/fail_*.py")
LIMITS = _files("known_limits/*.py")


def test_corpus_is_there():
    assert len(PASS) >= 40 and len(FAIL) >= 100


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("path", PASS, ids=_id)
def test_right_answer_passes(path, seed, sandbox):
    _, v = _grade(path, seed, sandbox)
    assert v.passed, _failures(v)


@pytest.mark.parametrize("path", FAIL, ids=_id)
def test_wrong_answer_fails_with_a_reason(path, sandbox):
    source, v = _grade(path, SEEDS[0], sandbox)
    assert not v.passed, f"{_id(path)} passed"
    failing = [c for c in v.cases if not c.passed]
    assert failing and failing[0].message.strip(), f"no reason given: {v.summary} {v.message}"
    assert "Traceback (most recent call last)" not in failing[0].message
    for name in _headers(source, "diagnosis"):
        assert name in [d.name for d in v.diagnosis], f"{name} not diagnosed: {[d.name for d in v.diagnosis]}"
    for text in _headers(source, "expect"):
        assert text in failing[0].message, failing[0].message


@pytest.mark.parametrize("path", LIMITS, ids=_id)
@pytest.mark.xfail(strict=True, reason="a known limit of the sandbox (see the file's comment)")
def test_known_limit_fails(path, sandbox):
    _, v = _grade(path, SEEDS[0], sandbox)
    assert not v.passed


PUBLIC_FAIL = _files("*/fail_public_*.py")
PUBLIC_NAMED_GOAL = 0.9


def test_public_style_corpus_is_there():
    assert len(_files("*/pass_public_*.py")) >= 20 and len(PUBLIC_FAIL) >= 40
    for path in _files("*/*_public_*.py"):
        assert path.read_text().startswith("# style: "), f"{_id(path)}: no '# style:' line"


def test_public_style_buggy_submissions_are_named(sandbox, capsys):
    """The share of buggy public-style implementations whose verdict names a known mistake."""
    named, unnamed = [], []
    for path in PUBLIC_FAIL:
        _, v = _grade(path, SEEDS[0], sandbox)
        assert not v.passed, f"{_id(path)} passed"
        (named if v.diagnosis else unnamed).append(_id(path))
    share = len(named) / len(PUBLIC_FAIL)
    with capsys.disabled():
        print(f"\npublic-style corpus: {len(named)} of {len(PUBLIC_FAIL)} buggy submissions named ({share:.0%});"
              f" not named: {', '.join(unnamed) or 'none'}")
    assert share >= PUBLIC_NAMED_GOAL, f"only {len(named)}/{len(PUBLIC_FAIL)} named; not named: {unnamed}"


def test_a_sweep_is_compared_on_its_own_scale():
    """A schedule that should end at exactly 0 may come back as 1e-34 from an equivalent formula
    (cos² instead of (1 + cos)/2): a sweep's scalar outputs are one array for the tolerance."""
    from tutor.grading.cases import sweep_case
    from tutor.grading.compare import compare_case

    case = sweep_case("t", "warmup_cosine", "step", [0, 10], total_steps=10, lr_max=0.1, warmup_steps=0)
    expected = {"step 0": 0.1, "step 10": 0.0}
    assert compare_case(case, expected, {"step 0": 0.1, "step 10": 3.7e-34}, rtol=1e-6, atol=1e-9) == []
    wrong = compare_case(case, expected, {"step 0": 0.1, "step 10": 1e-9}, rtol=1e-6, atol=1e-9)
    assert [m.path for m in wrong] == ["step 10"]
    alone = {k: v for k, v in case.items() if k != "shared_scale"}
    assert [m.path for m in compare_case(alone, expected, {"step 0": 0.1, "step 10": 3.7e-34}, rtol=1e-6, atol=1e-9)] == ["step 10"]


def test_report_escapes_terminal_controls(sandbox):
    """A learner's print of ESC[2J + a fake PASSED line cannot clear or rewrite the terminal."""
    from tutor.grading.report import render

    path = ROOT / "hostile" / "fail_terminal_escapes.py"
    _, v = _grade(path, SEEDS[0], sandbox)
    assert not v.passed and "\x1b" in v.output
    text = render(v)
    assert not any(ch in text for ch in "\x1b\r\x07"), "a control character reached the terminal"
    assert "\\x1b[2J" in text and text.startswith("momentum: FAILED")
