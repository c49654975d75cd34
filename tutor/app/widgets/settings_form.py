"""The settings of a plot step, editable on screen: numbers in Inputs, choices in a Select,
flags in a Checkbox. ``values()`` parses and range-checks them; ``Submitted`` asks for a re-run."""

from __future__ import annotations

import math
from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select

from tutor.app.widgets.choice_button import FlagBox
from tutor.course.model import Setting


class SettingsError(ValueError):
    """A value the learner typed is not allowed; the message says why."""


def parse_setting(setting: Setting, text: str) -> Any:
    """The value of ``setting`` typed as ``text``, range-checked (``SettingsError`` if not)."""
    name = setting.label or setting.name
    text = text.strip()
    if setting.type == "int":
        try:
            value: float = int(float(text)) if text and float(text).is_integer() else int(text)
        except (ValueError, OverflowError):
            shown = f" ({text!r} is not one)" if text else ""
            raise SettingsError(f"{name}: type a whole number such as 3{shown}") from None
    else:
        try:
            value = float(text)
        except ValueError:
            shown = f" ({text!r} is not one)" if text else ""
            raise SettingsError(f"{name}: type a number such as 0.01 or 1e-3{shown}") from None
        if not math.isfinite(value):
            raise SettingsError(f"{name}: must be a finite number")
    if setting.min is not None and value < setting.min:
        raise SettingsError(f"{name}: at least {setting.min:g}")
    if setting.max is not None and value > setting.max:
        raise SettingsError(f"{name}: at most {setting.max:g}")
    if setting.log and value <= 0:
        raise SettingsError(f"{name}: must be positive")
    return value


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


class SettingsForm(Grid):
    """One cell per setting: its name and its editor."""

    class Submitted(Message):
        """A setting was confirmed (Enter, a new choice, a toggled flag)."""

    def __init__(self, settings: tuple[Setting, ...], values: dict[str, Any], **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.initial = dict(values)

    def compose(self) -> ComposeResult:
        for s in self.settings:
            value = self.initial.get(s.name)
            with Horizontal(classes="setting"):
                yield Label(s.label or s.name, classes="setting-name")
                wid = f"setting-{s.name}"
                if s.type == "choice":
                    options = [(c, c) for c in s.choices]
                    yield Select(
                        options,
                        value=value if value in s.choices else (s.choices[0] if s.choices else Select.BLANK),
                        allow_blank=False,
                        compact=True,
                        id=wid,
                    )
                elif s.type == "bool":
                    yield FlagBox("on", value=bool(value), compact=True, id=wid)
                else:
                    # any text may be typed (a field that silently drops "." or "/" hides the
                    # mistake); ``check`` says at once what is wrong with it
                    field = Input(format_value(value), compact=True, id=wid, placeholder="default")
                    field.cursor_blink = not getattr(self.app, "deterministic", False)  # also used outside TutorApp
                    yield field

    def set_missing(self, defaults: dict[str, Any]) -> None:
        """Fill inputs still empty with the experiment's own defaults."""
        for s in self.settings:
            if s.type in ("int", "float") and s.name in defaults:
                inp = self.query_one(f"#setting-{s.name}", Input)
                if not inp.value.strip():
                    inp.value = format_value(defaults[s.name])

    def values(self) -> dict[str, Any]:
        """Every setting's value; empty inputs are left out (the experiment's default applies)."""
        out: dict[str, Any] = {}
        for s in self.settings:
            widget = self.query_one(f"#setting-{s.name}")
            if s.type == "choice":
                if widget.value is not Select.BLANK:
                    out[s.name] = widget.value
            elif s.type == "bool":
                out[s.name] = bool(widget.value)
            else:
                text = widget.value
                if text.strip():
                    out[s.name] = parse_setting(s, text)
        return out

    def check(self, field: Input) -> str:
        """The message for what is typed in ``field`` ("" when it is a valid value or empty), and
        the field marked ``-invalid`` (underlined) while it is not."""
        setting = next((s for s in self.settings if f"setting-{s.name}" == field.id), None)
        message = ""
        if setting is not None and field.value.strip():
            try:
                parse_setting(setting, field.value)
            except SettingsError as exc:
                message = str(exc)
        field.set_class(bool(message), "-invalid")
        return message

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Submitted())

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.Submitted())
