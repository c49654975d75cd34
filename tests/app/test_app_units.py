"""The app's pure parts: navigation, the draft file rule, plotting helpers, quiz judging,
settings parsing, the race driver, the verdict rendering."""

from __future__ import annotations

import math

import pytest
from .conftest import FIXTURE_COURSE, fixed_verdict

from tutor.app.draft import DraftFile
from tutor.app.navigation import CourseIndex
from tutor.app.plotting import drawable, notes_text, ticks
from tutor.app.widgets.code_editor import next_indent
from tutor.progress import Workspace, WorkspaceConflict


def test_course_index_order_and_moves(course):
    idx = CourseIndex(course)
    keys = [r.key for r in idx.refs]
    assert keys == [
        "7.1/intro", "7.1/curves", "7.1/pick-one", "7.1/a-number",
        "7.2/momentum", "7.2/after", "7.2/wrap-up",
    ]
    first = idx.find("7.1")
    assert first.key == "7.1/intro" and first.number == 1
    assert idx.previous(first) is None
    assert idx.next(first).key == "7.1/curves"
    assert idx.next_lesson(first).key == "7.2/momentum"
    assert idx.next_lesson(idx.find("7.2")) is None
    assert idx.next(idx.refs[-1]) is None
    assert idx.find("7.2", "nope") is None and idx.find("9.9") is None
    assert idx.exercise_step("momentum").key == "7.2/momentum"
    assert idx.lesson_done(course.lesson("7.2"), {"7.2/momentum", "7.2/after", "7.2/wrap-up"})
    assert not idx.lesson_done(course.lesson("7.2"), {"7.2/momentum"})


def test_draft_never_overwrites_a_file_changed_on_disk(tmp_path):
    ws = Workspace(tmp_path)
    draft = DraftFile(ws, "momentum")
    assert draft.load("starter\n") == "starter\n"
    assert not draft.disk_changed()
    draft.save("mine 1\n")
    assert ws.read("momentum") == "mine 1\n" and not draft.disk_changed()
    ws.path("momentum").write_text("theirs\n")
    assert draft.disk_changed()
    with pytest.raises(WorkspaceConflict):
        draft.save("mine 2\n")
    assert ws.read("momentum") == "theirs\n"
    draft.save("mine 2\n", force=True)
    assert ws.read("momentum") == "mine 2\n"
    # touched but unchanged is not a change
    ws.path("momentum").write_text("mine 2\n")
    assert not draft.disk_changed()
    aside = draft.save_aside("kept\n")
    assert aside.read_text() == "kept\n" and ws.read("momentum") == "mine 2\n"


def test_drawable_drops_what_plotext_cannot_draw():
    xs = [0, 1, 2, 3, 4, 5]
    ys = [1.0, math.inf, math.nan, 1e308, 0.0, -2.0]
    assert drawable(xs, ys) == ([0.0, 4.0, 5.0], [1.0, 0.0, -2.0])
    assert drawable(xs, ys, ylog=True) == ([0.0], [1.0])
    assert drawable([0, 1], [1.0, 2.0], xlog=True) == ([1.0], [2.0])


def test_ticks_are_short_and_inside_the_range():
    values, labels = ticks(1e-9, 1.0, log=True)
    assert all(1e-9 <= v <= 1.0 for v in values) and len(values) <= 6
    assert all(len(label) <= 6 for label in labels)
    values, labels = ticks(0, 39, integral=True)
    assert values[0] == 0 and values[-1] == 39 and all(float(v).is_integer() for v in values)
    assert ticks(2.0, 2.0) == ([2.0], ["2"])


def test_notes_text_lists_figure_and_series_notes():
    class S:
        def __init__(self, label, note):
            self.label, self.note = label, note

    class F:
        notes = ("suggested rate 0.032",)
        series = (S("lr", ""), S("2·lr", "diverged at step 12"))

    assert notes_text(F()) == "suggested rate 0.032\n2·lr: diverged at step 12"


def test_quiz_judging_and_saved_forms(course):
    from tutor.app.widgets.quiz import from_store, judge, to_store

    one = course.lesson("7.1").step("pick-one")
    num = course.lesson("7.1").step("a-number")
    many = course.lesson("7.2").step("after")
    assert judge(one, "2").correct and not judge(one, "0").correct
    assert to_store(one, "2") == 2 and from_store(one, 2) == "2"
    assert judge(num, "-0.2").correct and judge(num, "-0.2005").correct
    assert not judge(num, "0.2").correct and not judge(num, "nan").correct
    assert to_store(num, "-0.2") == -0.2 and from_store(num, -0.2) == "-0.2"
    assert judge(many, "0,2").correct and not judge(many, "0").correct
    assert to_store(many, "2,0") == [0, 2] and from_store(many, [0, 2]) == "0,2"


def test_settings_are_parsed_and_range_checked(course):
    from tutor.app.widgets.settings_form import SettingsError, parse_setting

    plot = course.lesson("7.1").step("curves")
    lr, steps = plot.settings[0], plot.settings[1]
    assert parse_setting(lr, " 0.5 ") == 0.5
    assert parse_setting(steps, "40") == 40 and isinstance(parse_setting(steps, "40"), int)
    for bad, why in (("abc", "number"), ("5", "at most"), ("0.0001", "at least"), ("inf", "finite")):
        with pytest.raises(SettingsError, match=why):
            parse_setting(lr, bad)
    with pytest.raises(SettingsError, match="whole number"):
        parse_setting(steps, "4.5")


def test_next_indent():
    assert next_indent("def f(x):") == "    "
    assert next_indent("    return x") == "    "
    assert next_indent("    if x:  ") == "        "
    assert next_indent("") == ""


def test_race_driver_runs_the_reference(course):
    from tutor.app import race

    spec = race.spec_for(course.exercise("momentum"))  # from the exercise file's race: field
    losses = race.reference_losses(spec, "fixture_ref", course.python_path)
    assert len(losses) == race.STEPS + 1
    assert losses[-1] < losses[0] * 1e-2  # momentum converges on the bowl
    assert race.spec_for(None) is None


def test_verdict_rendering_puts_the_mistake_first():
    from tutor.app.widgets.results import verdict_content

    text = verdict_content(fixed_verdict(False)).plain
    assert text.startswith("✗ Not yet: 4 of 8 cases failed")
    assert text.index("Likely mistake") < text.index("✗ random 1")
    assert text.index("✗ random 4") < text.index("✓ random 5")  # failures first
    assert "expected: [[0.1" in text and "Your printed output:\nstepping" in text
    assert "tutor check momentum --seed 1234" in text
    ok = verdict_content(fixed_verdict(True)).plain
    assert ok.startswith("✓ Passed: all 8 cases passed")


def test_verdict_rendering_escapes_terminal_control_from_learner_output():
    import dataclasses

    from tutor.app.widgets.results import verdict_content

    forged = "\x1b[2J\x1b[H\x1b[32mPASSED\x1b[0m\rall cases passed"
    verdict = fixed_verdict(False)
    verdict = dataclasses.replace(verdict, output=forged) if dataclasses.is_dataclass(verdict) else verdict
    if not dataclasses.is_dataclass(verdict):
        verdict.output = forged
    text = verdict_content(verdict).plain
    assert "\x1b" not in text and "\r" not in text  # no raw control characters reach the screen
    assert "\\x1b[2J" in text  # shown escaped, visibly


def test_course_cache_hits_and_notices_changes(tmp_path):
    import shutil

    from tutor.app.course_cache import load_course_cached

    folder = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, folder)
    cache = tmp_path / "cache"
    first = load_course_cached(folder, directory=cache)
    files = list(cache.glob("*.json"))
    assert len(files) == 1
    again = load_course_cached(folder, directory=cache)
    assert again == first
    lesson = folder / "m7" / "7_1.yaml"
    lesson.write_text(lesson.read_text().replace("Fixture lesson one", "Lesson one, renamed"))
    changed = load_course_cached(folder, directory=cache)
    assert changed.lesson("7.1").title == "Lesson one, renamed"
    assert len(list(cache.glob("*.json"))) == 1  # the stale entry is gone
    # a damaged cache file is ignored
    next(cache.glob("*.json")).write_bytes(b"not a cache")
    assert load_course_cached(folder, directory=cache).lesson("7.1").title == "Lesson one, renamed"


def test_fences_without_a_language_are_plain_text():
    from tutor.app.markdown_text import plain_fences

    md = "a\n```\nv = β·v\n```\n\n```python\nx = 1\n```\n\n~~~~\nz\n~~~~\nuse `x` and ```y```\n"
    out = plain_fences(md)
    assert out.split("\n")[1] == "```text"
    assert "```python" in out and "~~~~text" in out
    assert out.count("```text") == 1  # closing fences and inline code untouched
    assert out.endswith("use `x` and ```y```\n")


def test_notes_text_does_not_repeat_a_series_note_the_figure_already_gives():
    class S:
        def __init__(self, label, note):
            self.label, self.note = label, note

    class F:
        notes = ("loss exploded at lr 16.3: the test stops there",)
        series = (S("smoothed loss", "loss exploded at lr 16.3"), S("a", "diverged at step 3"), S("b", "diverged at step 3"))

    assert notes_text(F()).split("\n") == [
        "loss exploded at lr 16.3: the test stops there",
        "a: diverged at step 3",
        "b: diverged at step 3",
    ]


def test_verdict_rendering_warns_when_isolation_is_partial():
    """The app says what ``tutor check`` says when the sandbox lacks an essential mechanism."""
    import dataclasses

    from tutor.app.widgets.results import verdict_content

    full = {"mechanisms": ["landlock", "seccomp", "user_namespace", "pid_namespace", "net_namespace",
                           "ipc_namespace", "mount_namespace", "no_new_privs", "non_dumpable", "rlimits"],
            "missing": {}, "landlock_abi": 7}
    partial = {"mechanisms": ["no_new_privs", "rlimits"], "missing": {"landlock": "kernel too old"}}
    assert "isolation is partial" not in verdict_content(dataclasses.replace(fixed_verdict(True), sandbox=full)).plain
    text = verdict_content(dataclasses.replace(fixed_verdict(False), sandbox=partial)).plain
    assert "Warning: isolation is partial here (landlock, seccomp" in text
    assert text.index("isolation is partial") < text.index("Replay this check")
