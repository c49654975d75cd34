"""`tutor validate`'s setting-name heuristic: a plot step's text must name a setting the way the
screen shows it (its label, or its name when it has none)."""

from __future__ import annotations

from pathlib import Path

from tutor.course import validate_course
from tutor.course.loader import read_course
from tutor.course.model import PlotStep, Setting
from tutor.course.validate import setting_name_problems

LABELLED = "{name: lr, type: float, label: learning rate α, min: 0.001, max: 1.0, log: true}"


def _plot(caption: str, *, defaults: dict | None = None) -> PlotStep:
    return PlotStep(
        id="p",
        title="P",
        experiment="x.y",
        defaults=defaults or {},
        settings=(
            Setting(name="lr", type="float", label="learning rate α", min=0.001, max=1.0),
            Setting(name="k", type="float", label="exponential rate k", min=0.0, max=1.0),
            Setting(name="steps", type="int", min=1, max=100),
        ),
        caption=caption,
    )


def _base(root: Path, caption: str, *, intro: str = "Twice 0.25 is 0.5.", switch: str = "") -> Path:
    base = root / "m" / "00_base.yaml"
    text = base.read_text()
    text = text.replace("{name: lr, type: float, min: 0.001, max: 1.0, log: true}", LABELLED)
    text = text.replace("      Twice 0.25 is 0.5.\n", f"      {intro}\n      Twice 0.25 is 0.5.\n")
    text = text.replace("    experiment: course_test_helpers.curve\n",
                        f"    experiment: course_test_helpers.curve\n    caption: {caption}\n{switch}")
    base.write_text(text)
    return base


def test_a_code_name_with_another_label_is_reported_on_the_caption(wrapper_course: Path) -> None:
    _base(wrapper_course, "Try lr = 0.5 and watch it.")
    (err,) = validate_course(wrapper_course, resolve=True).errors
    assert err.field == "steps[1].caption"
    assert err.line == 20  # the caption's own line (the intro added one line above it)
    assert '"lr" is shown on screen as "learning rate α"' in err.message
    assert "check_setting_names: false" in err.message


def test_a_text_step_beside_the_plot_that_mentions_it_is_read_too(wrapper_course: Path) -> None:
    _base(wrapper_course, "Try learning rate α = 0.5.",
          intro="In the plot below, set warmup_steps to 3.")
    (err,) = validate_course(wrapper_course, resolve=True).errors
    assert err.field == "steps[0].markdown"
    assert err.message.startswith('"warmup_steps" is not a setting of this plot')


def test_labels_plain_names_code_and_other_steps_pass(wrapper_course: Path) -> None:
    _base(wrapper_course, "Try learning rate α = 0.5, then set steps to 50 (`lr = 2` is code).",
          intro="Here lr = 3 and warmup_steps = 2, but no figure is mentioned.")
    assert validate_course(wrapper_course, resolve=True).ok


def test_the_per_step_switch_turns_it_off(wrapper_course: Path) -> None:
    _base(wrapper_course, "Try lr = 0.5.", switch="    check_setting_names: false\n")
    assert validate_course(wrapper_course, resolve=True).ok
    (plot,) = read_course(wrapper_course).plots
    assert plot.obj.check_setting_names is False


def test_the_switch_must_be_a_boolean(wrapper_course: Path) -> None:
    _base(wrapper_course, "Fine.", switch="    check_setting_names: no\n")
    (err,) = validate_course(wrapper_course).errors
    assert err.field == "steps[1].check_setting_names"


def test_setting_name_problems() -> None:
    assert setting_name_problems(_plot(""), "Try lr = 0.5.") == [
        '"lr" is shown on screen as "learning rate α": name the setting by its label'
    ]
    plot = _plot("", defaults={"seed": 0, "batch_size": 4})
    # a word of the label names it; a plain name with no label is what the screen shows
    assert setting_name_problems(plot, "Try k = 0.2, set steps to 5, r = 0.8, α = 0.1.") == []
    # only a default: the learner cannot change it on screen
    assert setting_name_problems(plot, "Set seed to 3.") == [
        '"seed" is not a setting of this plot (only a default the learner cannot change)'
    ]
    # a code-like name that is nothing at all; each name is reported once
    problems = setting_name_problems(plot, "Set warmup_steps = 0, then warmup_steps = 1.")
    assert len(problems) == 1 and problems[0].startswith('"warmup_steps" is not a setting of this plot')
    # outside an instruction, a value that is not a setting may describe the run
    assert setting_name_problems(plot, "With seed = 3 and batch_size = 4 it ends at 0.5.") == []
    # fenced code and code spans are code, not settings
    assert setting_name_problems(plot, "```\nlr = 0.1\n```\nand `lr = 2`") == []
