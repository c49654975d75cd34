"""The one schema of the lesson files: which fields each record has, their types and ranges.

A record is a YAML mapping (the course file, a module, a lesson, a step, a plot setting, an exercise,
...). :class:`Reader` checks one mapping node against its :data:`Spec` and reports, for the file it
reads, every problem at once: unknown keys (with a did-you-mean), missing required fields, wrong types,
values out of range. What it could read comes back as a :class:`Record`; fields in error are left out,
so the loader can go on and find the next problem.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor.suggest import hint
from tutor.course.errors import LessonError
from tutor.course.model import FORMAT_VERSION, Setting
from tutor.course.yamlnodes import BOOL, FLOAT, INT, NULL, STR, is_scalar, kind, line, to_python

# Kinds of field. Each names what the YAML value must be and what the Record holds for it.
#   str      a non-empty string (one line or many)            -> str
#   text     a string, may be empty                           -> str
#   id       an identifier matching `pattern`                 -> str
#   int      an integer                                       -> int
#   number   an integer or a float                            -> float
#   bool     true / false                                     -> bool
#   dotted   a dotted Python path (module.sub.name)           -> str
#   strings  a list of non-empty strings                      -> tuple[str, ...]
#   format   the format version (must be FORMAT_VERSION)      -> int
#   list     a list (the loader reads its items)              -> SequenceNode
#   map      a mapping (the loader reads it)                  -> MappingNode
#   any      any plain YAML value                             -> Python value
KINDS = ("str", "text", "id", "int", "number", "bool", "dotted", "strings", "format", "list", "map", "any")

DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
MODULE_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
LESSON_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
STEP_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
EXERCISE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_EXPECTED = {
    "str": "a string",
    "text": "a string",
    "id": "a string",
    "int": "an integer",
    "number": "a number",
    "bool": "true or false",
    "dotted": "a dotted path such as tutor.core.experiments.gd_variants",
    "strings": "a list of strings",
    "format": f"the format version ({FORMAT_VERSION})",
    "list": "a list",
    "map": "a mapping (key: value lines)",
    "any": "a value",
}


@dataclass(frozen=True)
class Field:
    """One field of a record."""

    kind: str
    required: bool = True
    default: Any = None
    min: float | None = None  # inclusive lower bound for int/number
    above: float | None = None  # exclusive lower bound for int/number
    max: float | None = None  # inclusive upper bound for int/number
    pattern: re.Pattern[str] | None = None  # for id
    hint: str = ""  # what a valid value looks like, for the pattern message
    min_items: int = 0  # for strings and list


Spec = dict[str, Field]

COURSE: Spec = {
    "format": Field("format"),
    "title": Field("str"),
    "modules": Field("list", min_items=1),
    "notation": Field("str", required=False),  # a Markdown file, relative to the course folder
    "python": Field("str", required=False),  # a folder of the course's own Python (trusted)
}

MODULE: Spec = {
    "id": Field("id", pattern=LESSON_ID, hint="letters, digits, '.', '_' or '-'"),
    "title": Field("str"),
    "dir": Field("str"),
    "lessons": Field("list", min_items=1),
}

LESSON: Spec = {
    "format": Field("format"),
    "id": Field("id", pattern=LESSON_ID, hint="letters, digits, '.', '_' or '-', e.g. \"7.1\""),
    "title": Field("str"),
    "summary": Field("str"),
    "minutes": Field("int", min=1, max=600),
    "steps": Field("list", min_items=1),
}

_STEP_ID = Field("id", pattern=STEP_ID, hint="letters, digits, '.', '_' or '-'")

TEXT_STEP: Spec = {
    "id": _STEP_ID,
    "type": Field("str"),
    "title": Field("str"),
    "markdown": Field("str"),
    "checks": Field("list", required=False),
}

CHECK: Spec = {
    "code": Field("str"),
    "shows": Field("str"),
}

PLOT_STEP: Spec = {
    "id": _STEP_ID,
    "type": Field("str"),
    "title": Field("str"),
    "experiment": Field("dotted"),
    "defaults": Field("map", required=False),
    "settings": Field("list", required=False),
    "xlabel": Field("text", required=False, default=""),
    "ylabel": Field("text", required=False, default=""),
    "xlog": Field("bool", required=False, default=False),
    "ylog": Field("bool", required=False, default=False),
    "caption": Field("text", required=False, default=""),
    "checks": Field("list", required=False),
    "check_setting_names": Field("bool", required=False, default=True),
}

SETTING_TYPES = ("float", "int", "choice", "bool")

SETTING: Spec = {
    "name": Field("id", pattern=PY_NAME, hint="a Python parameter name"),
    "type": Field("str"),
    "label": Field("text", required=False, default=""),
    "min": Field("number", required=False),
    "max": Field("number", required=False),
    "log": Field("bool", required=False, default=False),
    "choices": Field("strings", required=False, min_items=2),
}

QUIZ_STEP: Spec = {
    "id": _STEP_ID,
    "type": Field("str"),
    "title": Field("text", required=False, default=""),
    "question": Field("str"),
    "choices": Field("list", required=False, min_items=2),
    "answer": Field("number", required=False),
    "tolerance": Field("number", required=False, default=0.0, min=0.0),
    "explanation": Field("str"),
}

CHOICE: Spec = {
    "text": Field("str"),
    "correct": Field("bool", required=False, default=False),
}

EXERCISE_STEP: Spec = {
    "id": Field("id", required=False, pattern=EXERCISE_ID, hint="the exercise id"),
    "type": Field("str"),
    "title": Field("text", required=False, default=""),
    "exercise": Field("id", pattern=EXERCISE_ID, hint="an exercise id such as adam"),
}

STEPS: dict[str, Spec] = {
    "text": TEXT_STEP,
    "plot": PLOT_STEP,
    "quiz": QUIZ_STEP,
    "exercise": EXERCISE_STEP,
}

EXERCISE: Spec = {
    "format": Field("format"),
    "id": Field("id", pattern=EXERCISE_ID, hint="letters, digits and '_', e.g. adam"),
    "title": Field("str"),
    "extra": Field("bool", required=False, default=False),
    "names": Field("strings", min_items=1),
    "reference": Field("dotted", pattern=MODULE_PATH, hint="a module such as tutor.core.optimizers"),
    "cases": Field("dotted"),
    "edge_cases": Field("list", required=False),
    "tolerance": Field("map", required=False),
    "time_limit": Field("number", required=False, default=5.0, above=0.0, max=600.0),
    "memory_mb": Field("int", required=False, default=512, min=16, max=65536),
    "allow_mutation": Field("bool", required=False, default=False),
    "instructions": Field("str"),
    "starter": Field("str"),
    "hints": Field("strings", min_items=2),
    "mistakes": Field("list", required=False),
    "quantities": Field("list", required=False),
    "solution": Field("str"),
    "race": Field("map", required=False),  # RACE: the app's race after a pass (optional)
}

RACE_KINDS = ("quadratic", "digits")

# What the app runs once an exercise passes: the learner's code against the reference's
# (tutor/app/race.py). ``quadratic``: ``update`` is one statement of a loop over steps ``t`` that
# moves ``w`` from ``dw = A·w`` on ``½·wᵀAw`` (``setup`` runs once before the loop, with ``w``,
# ``v``, ``s``, ``u``, ``cache`` at zero); ``digits``: the learner's ``train`` fits the digits.
RACE: Spec = {
    "name": Field("id", pattern=PY_NAME, hint="one of the exercise's names"),
    "kind": Field("str", required=False, default="quadratic"),
    "lr": Field("number", required=False, above=0.0, max=10.0),
    "update": Field("str", required=False),
    "setup": Field("text", required=False, default=""),
}

TOLERANCE: Spec = {
    "rtol": Field("number", required=False, min=0.0),
    "atol": Field("number", required=False, min=0.0),
}

MISTAKE: Spec = {
    "name": Field("str"),
    "impl": Field("dotted"),
    "message": Field("str"),
    "replaces": Field("id", required=False, default="", pattern=PY_NAME, hint="one of the exercise's names"),
}

#: the named quantities of one call's formula (the quantities diagnosis, docs/internals.md)
QUANTITY_CALL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")

QUANTITY: Spec = {
    "call": Field("id", pattern=QUANTITY_CALL, hint="one of the exercise's names, or Class.method"),
    "impl": Field("dotted"),
}

EDGE_CASE: Spec = {
    "name": Field("str"),
    "call": Field("id", pattern=PY_NAME, hint="one of the exercise's names"),
    "args": Field("map"),
}


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean "x"?)`` when ``word`` looks like a typo of one of ``options``, else ``""``
    (the one rule of :mod:`tutor.suggest`)."""
    return hint(word, options)


def join_field(where: str, name: str | int) -> str:
    """The field path of ``name`` inside ``where``: ``steps[3]`` + ``hints`` -> ``steps[3].hints``."""
    if isinstance(name, int):
        return f"{where}[{name}]"
    return f"{where}.{name}" if where else name


@dataclass
class Record:
    """What was read from one mapping: values by field name, and the nodes they came from."""

    node: MappingNode
    where: str
    values: dict[str, Any]
    nodes: dict[str, Node]  # field -> its value's node
    keys: dict[str, Node] = dataclass_field(default_factory=dict)  # field -> its key's node

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values

    def line(self, name: str | None = None) -> int:
        """The line of field ``name`` (where its key is), or of the mapping when absent."""
        node = self.keys.get(name) if name else None
        return line(node if node is not None else self.node)

    def field(self, name: str | int) -> str:
        return join_field(self.where, name)


class Reader:
    """Reads records of one file, appending every problem to ``errors``."""

    def __init__(self, path: Path, errors: list[LessonError]) -> None:
        self.path = path
        self.errors = errors
        self.positions: dict[str, int] = {}  # field path -> line of its value, for later checks

    # -- reporting -----------------------------------------------------------------------------
    def error(self, at: Node | int, field: str, message: str) -> None:
        ln = at if isinstance(at, int) else line(at)
        self.errors.append(LessonError(self.path, ln, field, message))

    # -- records -------------------------------------------------------------------------------
    def record(self, node: Node, spec: Spec, where: str = "", *, skip: tuple[str, ...] = ()) -> Record | None:
        """Check ``node`` against ``spec``; None when it is not a mapping at all.

        ``skip`` names keys already reported by the caller (they are neither read nor reported).
        """
        if not isinstance(node, MappingNode):
            self.error(node, where, f"expected a mapping (key: value lines), got {kind(node)}")
            return None
        rec = Record(node, where, {}, {})
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not is_scalar(key_node, STR):
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.error(key_node, where, "merge keys (<<) are not supported: write the fields out")
                else:
                    self.error(key_node, where, f"keys must be strings, got {kind(key_node)}")
                continue
            key = key_node.value
            if key in seen:  # reported once for the whole file by the loader (duplicate_keys)
                continue
            seen.add(key)
            if key in skip:
                continue
            fspec = spec.get(key)
            if fspec is None:
                allowed = sorted(spec)
                hint = did_you_mean(key, allowed) or f"; allowed: {', '.join(allowed)}"
                self.error(key_node, join_field(where, key), f'unknown key "{key}"{hint}')
                continue
            rec.nodes[key] = value_node
            rec.keys[key] = key_node
            self.positions[join_field(where, key)] = line(key_node)
            ok, value = self.value(value_node, fspec, join_field(where, key), at=line(key_node))
            if ok:
                rec.values[key] = value
        for name, fspec in spec.items():
            if name in skip:
                continue
            if name not in seen and fspec.required:
                self.error(node, join_field(where, name), "required field is missing")
            elif name not in rec.values and fspec.default is not None:
                rec.values[name] = fspec.default  # absent, or invalid (and reported): the default
        return rec

    # -- values --------------------------------------------------------------------------------
    def value(self, node: Node, f: Field, where: str, at: int | None = None) -> tuple[bool, Any]:
        """``(True, value)`` when ``node`` is a valid value of field ``f``, else reports and ``(False, None)``.

        Problems with the whole value are reported on line ``at`` (the key's line) when given.
        """
        k = f.kind
        whole: Node | int = at if at is not None else node
        if k in ("str", "text", "id", "dotted"):
            if not is_scalar(node, STR):
                msg = f"expected {_EXPECTED[k]}, got {kind(node)}"
                if isinstance(node, ScalarNode) and not node.style and node.tag != NULL:
                    msg += f'; write "{node.value}" in quotes'
                self.error(whole, where, msg)
                return False, None
            text = node.value
            if k == "str" and not text.strip():
                self.error(whole, where, "must not be empty")
                return False, None
            if k == "id" and f.pattern is not None and not f.pattern.match(text):
                self.error(whole, where, f'"{text}" is not a valid id: use {f.hint}')
                return False, None
            if k == "dotted" and not (f.pattern or DOTTED).match(text):
                self.error(whole, where, f'"{text}" is not {f.hint or _EXPECTED[k]}')
                return False, None
            return True, text
        if k == "bool":
            if not is_scalar(node, BOOL):
                self.error(whole, where, f"expected true or false, got {kind(node)}")
                return False, None
            return True, to_python(node)
        if k in ("int", "number", "format"):
            tags = (INT,) if k in ("int", "format") else (INT, FLOAT)
            if not is_scalar(node, *tags):
                self.error(whole, where, f"expected {_EXPECTED[k]}, got {kind(node)}")
                return False, None
            try:
                num = to_python(node)
                if k == "number":
                    num = float(num)
            except (ValueError, OverflowError):  # 5,000 digits: past int() and float()
                self.error(whole, where, f"the number is too large ({len(node.value):,} characters)")
                return False, None
            if k == "number":
                if num != num or num in (float("inf"), float("-inf")):
                    self.error(whole, where, "expected a finite number")
                    return False, None
            if k == "format":
                if num != FORMAT_VERSION:
                    self.error(whole, where, f"unknown format version {num} (this tutor reads format {FORMAT_VERSION})")
                    return False, None
                return True, num
            if f.min is not None and num < f.min:
                need = "must not be negative" if f.min == 0 else f"must be at least {f.min:g}"
                self.error(whole, where, f"{need}, got {num:g}")
                return False, None
            if f.above is not None and num <= f.above:
                self.error(whole, where, f"must be greater than {f.above:g}, got {num:g}")
                return False, None
            if f.max is not None and num > f.max:
                self.error(whole, where, f"must be at most {f.max:g}, got {num:g}")
                return False, None
            return True, num
        if k == "strings":
            if not isinstance(node, SequenceNode) or not all(is_scalar(n, STR) for n in node.value):
                self.error(whole, where, f"expected a list of strings, got {_describe_list(node)}")
                return False, None
            items = tuple(n.value for n in node.value)
            for i, n in enumerate(node.value):
                if not n.value.strip():
                    self.error(n, join_field(where, i), "must not be empty")
                    return False, None
            if len(items) < f.min_items:
                self.error(whole, where, f"needs at least {f.min_items} items, got {len(items)}")
                return False, None
            return True, items
        if k == "list":
            if not isinstance(node, SequenceNode):
                self.error(whole, where, f"expected a list, got {kind(node)}")
                return False, None
            if len(node.value) < f.min_items:
                self.error(whole, where, f"needs at least {f.min_items} item{'s' if f.min_items > 1 else ''}, got {len(node.value)}")
                return False, None
            return True, node
        if k == "map":
            if not isinstance(node, MappingNode):
                self.error(whole, where, f"expected a mapping (key: value lines), got {kind(node)}")
                return False, None
            return True, node
        if k == "any":
            try:
                return True, to_python(node)
            except ValueError as exc:
                self.error(whole, where, str(exc))
                return False, None
        raise AssertionError(f"unknown field kind {k!r}")  # pragma: no cover


def _describe_list(node: Node) -> str:
    if not isinstance(node, SequenceNode):
        return kind(node)
    bad = next(n for n in node.value if not is_scalar(n, STR))
    return f"{kind(bad)} on line {line(bad)}"


# ---------------------------------------------------------------------------------------------
# settings


def setting_value_problem(setting: Setting, value: Any) -> str:
    """Why ``value`` is not a valid value of ``setting``, or ``""``."""
    t = setting.type
    if t == "bool":
        return "" if isinstance(value, bool) else f"expected true or false for bool setting {setting.name}, got {value!r}"
    if t == "choice":
        if value not in setting.choices:
            return f'"{value}" is not one of the choices of {setting.name} ({", ".join(setting.choices)})'
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number for {t} setting {setting.name}, got {value!r}"
    if not math.isfinite(value):
        return f"expected a finite number for {setting.name}, got {value!r}"
    if t == "int" and not isinstance(value, int):
        return f"expected an integer for int setting {setting.name}, got {value!r}"
    lo, hi = setting.min, setting.max
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return f"{value:g} is outside the range of {setting.name} [{lo:g}, {hi:g}]"
    return ""
