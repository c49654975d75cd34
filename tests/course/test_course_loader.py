"""Loading a course folder into the model, and the pieces the loader is built from."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tutor.course import CourseError, LessonError, load_course, validate_course
from tutor.course.loader import half_unit, number_value, shows_in_text
from tutor.course.model import ExerciseStep, PlotStep, QuizStep, TextStep
from tutor.course.yamlnodes import YamlSyntaxError, code_line, compose, duplicate_keys


def test_wrapper_course_loads_into_the_model(wrapper_course: Path) -> None:
    course = load_course(wrapper_course)
    assert course.title == "A course around one file"
    assert [m.id for m in course.modules] == ["1"]
    (lesson,) = course.lessons
    assert (lesson.id, lesson.module_id, lesson.minutes) == ("1.1", "1", 5)
    assert lesson.source is not None and lesson.source.line == 2
    assert [type(s) for s in lesson.steps] == [TextStep, PlotStep, QuizStep, ExerciseStep]
    text, plot, quiz, ex = lesson.steps
    assert text.markdown == "Twice 0.25 is 0.5.\n"
    assert [(c.code, c.shows) for c in text.checks] == [("2 * 0.25", "0.5")]
    assert plot.experiment == "course_test_helpers.curve"
    assert plot.defaults == {"lr": 0.1}
    lr, steps = plot.settings
    assert (lr.name, lr.type, lr.min, lr.max, lr.log) == ("lr", "float", 0.001, 1.0, True)
    assert (steps.type, steps.min, steps.max) == ("int", 1, 100)
    assert isinstance(steps.min, int) and isinstance(steps.max, int)
    assert [(c.text, c.correct) for c in quiz.choices] == [("yes", True), ("no", False)]
    assert not quiz.is_numeric and not quiz.multiple
    assert ex.id == "demo" and ex.title == "Double it"  # an exercise step's title defaults to the exercise's
    assert ex.exercise is course.exercise("demo")
    assert course.lessons_with("demo") == (lesson,)
    assert lesson.step_key(ex) == "1.1/demo"
    assert course.python_path == (wrapper_course / "py").resolve()
    assert plot.python_path == course.python_path and ex.exercise.python_path == course.python_path
    assert course.notation == ""


def test_exercise_fields(wrapper_course: Path) -> None:
    (wrapper_course / "exercises" / "00_demo.yaml").write_text(
        """format: 1
id: demo
title: Double it
extra: true
names: [double, helper]
reference: course_test_helpers
cases: course_test_helpers.double_cases
edge_cases:
  - name: a matrix
    call: double
    args: {x: [[1.0, 2.0], [3.0, 4.0]], n: 3, rng: {rng: 7}}
tolerance: {rtol: 1e-8, atol: 0}
time_limit: 2.5
memory_mb: 256
allow_mutation: true
instructions: Return twice x.
starter: "def double(x):\\n    raise NotImplementedError\\n"
hints: [Multiply., By two., Really.]
mistakes:
  - name: triple
    impl: course_test_helpers.double
    message: You tripled it.
  - name: helper-off
    impl: course_test_helpers.double
    message: The helper is off.
    replaces: helper
solution: |
  def double(x):
      return 2 * x
""",
        encoding="utf-8",
    )
    ex = load_course(wrapper_course).exercise("demo")
    assert ex is not None
    assert ex.names == ("double", "helper")
    assert ex.rtol == 1e-8 and ex.atol == 0.0  # 1e-8 without a dot is a number, not a string
    assert (ex.time_limit, ex.memory_mb, ex.allow_mutation, ex.extra) == (2.5, 256, True, True)
    assert ex.hints == ("Multiply.", "By two.", "Really.")
    (edge,) = ex.edge_cases
    assert (edge.name, edge.call) == ("a matrix", "double")
    assert edge.args == {"x": [[1.0, 2.0], [3.0, 4.0]], "n": 3, "rng": {"rng": 7}}
    assert [(m.name, m.replaces) for m in ex.mistakes] == [("triple", ""), ("helper-off", "helper")]
    assert ex.source is not None and ex.source.line == 2


def test_defaults_follow_the_setting_types_and_numeric_quiz(course_with) -> None:
    root = course_with(
        "lesson",
        "00_base.yaml",
        """format: 1
id: "1.1"
title: T
summary: s
minutes: 1
steps:
  - id: p
    type: plot
    title: P
    experiment: course_test_helpers.curve
    defaults: {lr: 1, steps: 5, kind: b, on: false}
    settings:
      - {name: lr, type: float, min: 0, max: 2}
      - {name: steps, type: int, min: 1, max: 9}
      - {name: kind, type: choice, choices: [a, b]}
      - {name: "on", type: bool, label: Switch it}
  - id: q
    type: quiz
    question: How much?
    answer: 0.25
    tolerance: 0.01
    explanation: A quarter.
""",
    ).parents[1]
    (wrapper_ex := root / "exercises" / "00_demo.yaml").unlink()
    assert not wrapper_ex.exists()
    plot, quiz = load_course(root).lessons[0].steps
    assert plot.defaults == {"lr": 1.0, "steps": 5, "kind": "b", "on": False}
    assert isinstance(plot.defaults["lr"], float)
    assert plot.settings[2].choices == ("a", "b") and plot.settings[3].label == "Switch it"
    assert quiz.is_numeric and (quiz.answer, quiz.tolerance) == (0.25, 0.01)


def test_notation_page_is_loaded(wrapper_course: Path) -> None:
    course_yaml = wrapper_course / "course.yaml"
    course_yaml.write_text(course_yaml.read_text() + "notation: notation.md\n")
    (wrapper_course / "notation.md").write_text("# Notation\n\nv, s, cache\n")
    assert load_course(wrapper_course).notation.startswith("# Notation")


def test_every_error_of_every_file_at_once(wrapper_course: Path) -> None:
    base = wrapper_course / "m" / "00_base.yaml"
    base.write_text(base.read_text().replace("minutes: 5", "minutes: 0").replace("title: Hello", "titel: Hello"))
    demo = wrapper_course / "exercises" / "00_demo.yaml"
    demo.write_text(demo.read_text().replace("hints:\n  - Multiply.\n", "hints:\n"))
    with pytest.raises(CourseError) as info:
        load_course(wrapper_course)
    rendered = [str(e).replace(str(wrapper_course) + "/", "") for e in info.value.errors]
    assert sorted(rendered) == sorted([
        "m/00_base.yaml:5: minutes: must be at least 1, got 0",
        'm/00_base.yaml:9: steps[0].titel: unknown key "titel" (did you mean "title"?)',
        "m/00_base.yaml:7: steps[0].title: required field is missing",
        "exercises/00_demo.yaml:12: hints: needs at least 2 items, got 1",
    ])
    assert str(info.value).startswith("4 errors in the lesson files\n")


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(course_with) -> None:
    root = course_with("course", "course.yaml", 'format: 1\ntitle: T\nmodules: [{id: "1", title: M, dir: m, lessons: ["1.1"]}]\npython: py\nzzz: 1\n').parent
    (err,) = validate_course(root).errors
    assert (err.line, err.field) == (5, "zzz")
    assert err.message == 'unknown key "zzz"; allowed: format, modules, notation, python, title'


def test_missing_course_file_and_missing_folder(tmp_path: Path) -> None:
    (err,) = validate_course(tmp_path).errors
    assert err.path == tmp_path / "course.yaml" and "needs a course.yaml" in err.message
    (err,) = validate_course(tmp_path / "nope").errors
    assert err.message == "no such folder"


def test_missing_module_and_python_folders(course_with) -> None:
    root = course_with("course", "course.yaml", 'format: 1\ntitle: T\nmodules: [{id: "1", title: M, dir: mm, lessons: ["1.1"]}]\npython: pyy\n').parent
    got = sorted((e.line, e.field, e.message) for e in validate_course(root).errors)
    assert got == [
        (3, "modules[0].dir", 'folder "mm" not found in the course folder'),
        (4, "python", 'folder "pyy" not found in the course folder'),
    ]


def test_non_utf8_and_empty_files(course_with) -> None:
    target = course_with("extra-lesson", "zz.yaml", "")
    (err,) = validate_course(target.parents[1]).errors
    assert (err.path.name, err.line, err.message) == ("zz.yaml", 1, "the file is empty")
    target.write_bytes(b"format: 1\nid: \xff\n")
    (err,) = validate_course(target.parents[1]).errors
    assert (err.line, err.message) == (2, "not UTF-8 text: byte 0xff at line 2, column 5; save the file as UTF-8")


def test_yaml_tags_outside_the_core_schema_are_refused(course_with) -> None:
    target = course_with("exercise", "00_demo.yaml", (Path(__file__).parent / "wrapper/exercises/00_demo.yaml").read_text().replace(
        "solution: |", "edge_cases:\n  - {name: e, call: double, args: {x: !!python/name:os.system ''}}\nsolution: |"))
    errors = validate_course(target.parents[1]).errors
    err = next(e for e in errors if e.path == target)
    assert err.line > 1 and err.message.startswith('forbidden YAML tag "!!python/name:os.system"')
    # the file is refused whole; a lesson that uses its exercise says why it cannot find it
    assert all(e.path == target or "could not be read" in e.message for e in errors)


def test_lesson_error_rendering() -> None:
    e = LessonError(Path("lessons/07-optimizers/7_7_adam.yaml"), 41, "steps[3].hints", "expected a list of strings")
    assert str(e) == "lessons/07-optimizers/7_7_adam.yaml:41: steps[3].hints: expected a list of strings"
    assert str(LessonError(Path("x.yaml"), 3, "", "YAML syntax error: bad")) == "x.yaml:3: YAML syntax error: bad"
    assert str(LessonError(Path("dir"), 0, "", "no such folder")) == "dir: no such folder"
    assert e.render("short.yaml") == "short.yaml:41: steps[3].hints: expected a list of strings"


# -- yamlnodes --------------------------------------------------------------------------------


def test_syntax_errors_carry_their_line() -> None:
    with pytest.raises(YamlSyntaxError) as info:
        compose("a: 1\nb: [1, 2\nc: 3\n")
    assert info.value.message.startswith("YAML syntax error: ")
    assert info.value.line in (2, 3, 4)  # where the parser notices the unclosed list
    with pytest.raises(YamlSyntaxError) as info:
        compose("a: 1\nb: c: d\n")
    assert info.value.line == 2


def test_duplicate_keys_are_found_at_any_depth() -> None:
    node = compose("a: 1\nsteps:\n  - id: x\n    defaults: {lr: 1, lr: 2}\n  - id: y\n    id: z\na: 3\n")
    assert sorted(duplicate_keys(node)) == [
        (4, "steps[0].defaults", "lr", 4),
        (6, "steps[1]", "id", 5),
        (7, "", "a", 1),
    ]


def test_code_line_maps_block_and_plain_scalars_to_file_lines() -> None:
    node = compose("x: 1\ncode: |\n  a = 1\n  b = (\nplain: 'a = 1'\n")
    block = node.value[1][1]
    plain = node.value[2][1]
    assert code_line(block, 1) == 3 and code_line(block, 2) == 4
    assert code_line(plain, 1) == 5


# -- numbers shown in text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shows", "half"),
    [("0.4", 0.05), ("0.40", 0.005), ("12", 0.5), ("1.5e-3", 5e-5), ("−0.0316", 5e-5), ("2.0E+2", 5.0)],
)
def test_half_a_unit_of_the_last_digit(shows: str, half: float) -> None:
    assert math.isclose(half_unit(shows), half)


@pytest.mark.parametrize("bad", ["", "abc", "1,5", "0.4.1", "1e"])
def test_shows_must_be_a_number(bad: str) -> None:
    assert number_value(bad) is None
    with pytest.raises(ValueError):
        half_unit(bad)


@pytest.mark.parametrize(
    ("shows", "text", "found"),
    [
        ("0.4", "w becomes 0.4.", True),
        ("0.4", "w becomes 0.45", False),
        ("0.4", "w becomes 10.4", False),
        ("4", "w becomes 0.4", False),
        ("-0.3", "the step is −0.3 here", True),
        ("−0.3", "the step is -0.3 here", True),
        ("0.999", "β = 0.999 and", True),
    ],
)
def test_shows_appears_as_a_whole_number(shows: str, text: str, found: bool) -> None:
    assert shows_in_text(shows, text) is found


def test_the_model_pickles_for_the_apps_course_cache(wrapper_course: Path) -> None:
    import pickle

    course = load_course(wrapper_course)
    again = pickle.loads(pickle.dumps(course))
    assert again == course
    assert again.lessons[0].steps[3].exercise.python_path == course.python_path
