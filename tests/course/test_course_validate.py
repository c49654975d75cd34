"""Validation with dotted paths resolved, number checks, and the ``tutor validate`` command."""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.course import validate_course
from tutor.course.model import NumberCheck, Setting
from tutor.course.resolve import ResolveError, resolve
from tutor.course.schema import setting_value_problem
from tutor.course.validate import check_matches, evaluate_check
from tutor.commands import validate as validate_command

REPO = Path(__file__).resolve().parents[2]


def test_wrapper_course_validates_with_its_own_python(wrapper_course: Path) -> None:
    result = validate_course(wrapper_course, resolve=True)
    assert result.ok and result.course is not None
    assert result.summary() == "1 lesson, 1 exercise, 0 errors"
    (note,) = result.notes
    assert "brings its own Python" in note and "trust" in note


def test_reference_names_must_exist_and_paths_must_be_callable(wrapper_course: Path) -> None:
    demo = wrapper_course / "exercises" / "00_demo.yaml"
    demo.write_text(demo.read_text()
                    .replace("names: [double]", "names: [double, halve]")
                    .replace("cases: course_test_helpers.double_cases", "cases: course_test_helpers.nothing_here"))
    got = sorted((e.line, e.field, e.message) for e in validate_course(wrapper_course, resolve=True).errors)
    assert got == [
        (5, "names", "course_test_helpers does not define halve"),
        (7, "cases", "course_test_helpers has no nothing_here"),
    ]
    # without resolve, nothing is imported and nothing is reported
    assert validate_course(wrapper_course).ok


def test_experiment_without_a_default_for_a_parameter(wrapper_course: Path) -> None:
    helpers = wrapper_course / "py" / "course_test_needs.py"
    helpers.write_text("def needs(*, lr, steps=3):\n    return lr\n")
    base = wrapper_course / "m" / "00_base.yaml"
    base.write_text(base.read_text().replace("course_test_helpers.curve", "course_test_needs.needs")
                    .replace("defaults: {lr: 0.1}", "defaults: {steps: 2}"))
    (err,) = validate_course(wrapper_course, resolve=True).errors
    assert (err.line, err.field) == (19, "steps[1].defaults")
    assert err.message == 'course_test_needs.needs needs "lr" and has no default for it: give one in defaults'


def test_the_experiments_own_default_must_lie_in_the_setting_range(wrapper_course: Path) -> None:
    base = wrapper_course / "m" / "00_base.yaml"
    base.write_text(base.read_text().replace("{name: steps, type: int, min: 1, max: 100}", "{name: steps, type: int, min: 20, max: 100}"))
    (err,) = validate_course(wrapper_course, resolve=True).errors
    assert (err.line, err.field) == (22, "steps[1].settings[1].name")
    assert err.message == "the experiment's own default: 10 is outside the range of steps [20, 100]"


def test_a_failing_check_is_reported_on_its_code_line(wrapper_course: Path) -> None:
    base = wrapper_course / "m" / "00_base.yaml"
    base.write_text(base.read_text().replace('code: "2 * 0.25"', 'code: "2 * undefined_name"'))
    (err,) = validate_course(wrapper_course, resolve=True).errors
    assert (err.line, err.field) == (13, "steps[0].checks[0].code")
    assert err.message == "fails: NameError: name 'undefined_name' is not defined"


def test_checks_see_numpy_and_the_core() -> None:
    pytest.importorskip("numpy")
    assert evaluate_check(NumberCheck("np.sqrt(np.array([0.25]))", "0.5")) == 0.5
    with pytest.raises(ValueError, match="one number"):
        evaluate_check(NumberCheck("np.zeros(2)", "0"))
    assert check_matches(NumberCheck("", "0.33"), 1 / 3)
    assert check_matches(NumberCheck("", "0.335"), 0.3354)
    assert not check_matches(NumberCheck("", "0.34"), 1 / 3)
    assert check_matches(NumberCheck("", "−2"), -2.4)
    assert not check_matches(NumberCheck("", "1"), float("nan"))


def test_setting_value_problems() -> None:
    lr = Setting("lr", "float", min=0.001, max=1.0)
    steps = Setting("steps", "int", min=1, max=10)
    kind = Setting("kind", "choice", choices=("a", "b"))
    flag = Setting("flag", "bool")
    assert setting_value_problem(lr, 0.5) == "" and setting_value_problem(lr, 1) == ""
    assert setting_value_problem(lr, 2.0) == "2 is outside the range of lr [0.001, 1]"
    assert "expected a number" in setting_value_problem(lr, "fast")
    assert "expected a number" in setting_value_problem(lr, True)
    assert "expected an integer" in setting_value_problem(steps, 2.5)
    assert setting_value_problem(kind, "c") == '"c" is not one of the choices of kind (a, b)'
    assert setting_value_problem(flag, False) == ""
    assert "true or false" in setting_value_problem(flag, 1)


def test_resolve() -> None:
    import tutor.course.model as model_module

    assert resolve("tutor.course.model") is model_module
    assert resolve("tutor.course.model.Course") is model_module.Course
    with pytest.raises(ResolveError, match="tutor.course.model has no Cours \\(did you mean \"Course\"\\?\\)"):
        resolve("tutor.course.model.Cours")
    with pytest.raises(ResolveError, match="no module named nonexistent_pkg_xyz"):
        resolve("nonexistent_pkg_xyz.f")


def test_resolve_reports_errors_raised_while_importing(tmp_path: Path) -> None:
    (tmp_path / "course_test_broken_mod.py").write_text("import course_test_missing_dependency\n")
    (tmp_path / "course_test_raising_mod.py").write_text("raise RuntimeError('boom')\n")
    with pytest.raises(ResolveError, match="importing course_test_broken_mod failed: No module named 'course_test_missing_dependency'"):
        resolve("course_test_broken_mod.f", tmp_path)
    with pytest.raises(ResolveError, match="importing course_test_raising_mod failed: RuntimeError: boom"):
        resolve("course_test_raising_mod.f", tmp_path)


# -- the command ---------------------------------------------------------------------------------


def test_validate_command_ok(wrapper_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(wrapper_course)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 lesson, 1 exercise, 0 errors"
    assert out[0].startswith("note: this course brings its own Python")


def test_validate_command_errors(course_with, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    target = course_with("lesson", "00_base.yaml", "format: 1\nid: \"1.1\"\ntitle: T\nsummary: s\nminutes: -1\nsteps: []\n")
    monkeypatch.chdir(target.parents[1])
    assert validate_command.run(argparse.Namespace(dir=None, lessons=".")) == 2
    out = capsys.readouterr().out.splitlines()
    assert "m/00_base.yaml:5: minutes: must be at least 1, got -1" in out
    assert "m/00_base.yaml:6: steps: needs at least 1 item, got 0" in out
    assert out[-1] == ".: 2 errors"


def test_validate_command_without_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.startswith("tutor: no lessons folder at ")


def test_loading_imports_neither_numpy_nor_textual(wrapper_course: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from tutor.course import load_course, CourseError
        course = load_course({str(wrapper_course)!r})
        assert course.lessons, "the wrapper course has a lesson"
        try:
            load_course({str(REPO / "lessons")!r})  # the shipped course, complete or not
        except CourseError:
            pass
        bad = sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "textual", "tutor.core"))
        bad += sorted(m for m in sys.modules if m.startswith(("tutor.core", "tutor.app", "tutor.grading")))
        print(",".join(bad))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == ""
