"""Validating a course folder: every problem at once, each as ``path:line: field: message``.

Two depths:

- ``validate_course(root)`` is what loading checks (YAML only, no imports): the schema (types,
  ranges, unknown keys with a did-you-mean, duplicate keys), duplicate ids (modules, lessons, steps
  within a lesson, exercises), exercise ids outside the contract of curriculum.md unless
  ``extra: true``, setting ranges (min > max, a default outside its range), quizzes (no right choice,
  both choices and answer), fewer than two hints, starter and solution code that does not parse,
  ``checks[].shows`` missing from the step's markdown or caption, references to unknown exercises, lessons listed
  but not found, lesson files not listed, empty text.
- ``validate_course(root, resolve=True)`` (``tutor validate`` and the tests) also imports every dotted
  path, checks each plot's ``defaults`` and ``settings`` against the experiment's keyword-only
  parameters (``inspect.signature``), the experiment's own defaults against the settings' ranges,
  that each exercise's names exist in its reference module, and evaluates every ``checks[].code``
  (of text steps and of plot captions) against the number its text shows. This imports NumPy and ``tutor.core`` (and the course's own
  Python folder, if it names one: an act of trust). It also runs the setting-name heuristic
  (:func:`setting_name_errors`): a plot's text must name a setting by the label the screen shows.
"""

from __future__ import annotations

import inspect
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from tutor.course.errors import LessonError
from tutor.course.loader import Located, LoadResult, half_unit, number_value, read_course
from tutor.course.model import Course, Exercise, NumberCheck, PlotStep, Step, TextStep
from tutor.course.resolve import ResolveError, add_python_path, resolve
from tutor.course.schema import did_you_mean, join_field, setting_value_problem


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one course folder."""

    root: Path
    course: Course | None  # None when there are load errors
    errors: tuple[LessonError, ...]
    notes: tuple[str, ...]  # things to know that are not errors (the course brings its own Python)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """``"20 lessons, 25 exercises, 0 errors"``."""
        n = len(self.errors)
        errors = f"{n} error{'s' if n != 1 else ''}"
        if self.course is None:
            return errors
        lessons = len(self.course.lessons)
        exercises = len(self.course.exercises)
        return (
            f"{lessons} lesson{'s' if lessons != 1 else ''}, "
            f"{exercises} exercise{'s' if exercises != 1 else ''}, {errors}"
        )


def validate_course(root: str | Path, *, resolve: bool = False) -> Validation:
    """Every problem of the course in ``root``, sorted by file and line."""
    result = read_course(root)
    errors = list(result.errors)
    notes: list[str] = []
    if result.python_path is not None:
        notes.append(
            f"this course brings its own Python ({result.python_path}); "
            + ("validating imported it: " if resolve else "")
            + "its code runs with your permissions, so use lesson folders you trust"
        )
    if resolve:
        errors.extend(resolve_errors(result))
    errors.sort(key=lambda e: (str(e.path), e.line))
    return Validation(
        root=Path(root),
        course=result.course if not errors else None,
        errors=tuple(errors),
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------------------------
# the checks that import


def resolve_errors(result: LoadResult) -> list[LessonError]:
    """Problems found by importing what the course names (plots, exercises, number checks)."""
    errors: list[LessonError] = []
    for loc in result.plots:
        errors.extend(_plot_errors(result, loc))
    for loc in result.exercises:
        errors.extend(_exercise_errors(result, loc))
    for loc in result.checks:
        errors.extend(_check_errors(result, loc))
    errors.extend(setting_name_errors(result))
    return errors


def accepted_parameters(fn: Any) -> tuple[dict[str, inspect.Parameter], bool]:
    """The keyword-only parameters of an experiment, and whether it takes ``**kwargs``."""
    sig = inspect.signature(fn)
    params = {
        name: p for name, p in sig.parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())
    return params, var_kw


def _plot_errors(result: LoadResult, loc: Located) -> list[LessonError]:
    step: PlotStep = loc.obj
    path, where = loc.path, loc.where

    def at(field: str) -> int:
        return result.line(path, field, step.source.line if step.source else 0)

    def err(field: str, message: str) -> LessonError:
        return LessonError(path, at(field), field, message)

    f_exp = join_field(where, "experiment")
    try:
        fn = resolve(step.experiment, result.python_path)
    except ResolveError as exc:
        return [err(f_exp, str(exc))]
    if not callable(fn):
        return [err(f_exp, f"{step.experiment} is not a function")]
    try:
        params, var_kw = accepted_parameters(fn)
    except (TypeError, ValueError):
        return [err(f_exp, f"cannot read the signature of {step.experiment}")]
    errors: list[LessonError] = []
    others = [
        n for n, p in inspect.signature(fn).parameters.items()
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        and p.default is inspect.Parameter.empty
    ]
    if others:
        errors.append(err(f_exp, f"an experiment takes keyword-only settings; {step.experiment} "
                                 f"needs positional {', '.join(others)}"))
    if not var_kw:
        for name in step.defaults:
            if name not in params:
                f = join_field(join_field(where, "defaults"), name)
                errors.append(err(f, f'{step.experiment} has no setting "{name}"{did_you_mean(name, list(params))}'))
        for j, s in enumerate(step.settings):
            if s.name not in params:
                f = join_field(join_field(join_field(where, "settings"), j), "name")
                errors.append(err(f, f'{step.experiment} has no setting "{s.name}"{did_you_mean(s.name, list(params))}'))
    for name, p in params.items():
        if p.default is inspect.Parameter.empty and name not in step.defaults:
            errors.append(err(join_field(where, "defaults"),
                              f'{step.experiment} needs "{name}" and has no default for it: give one in defaults'))
    for j, s in enumerate(step.settings):
        p = params.get(s.name)
        if s.name in step.defaults or p is None or p.default is inspect.Parameter.empty:
            continue
        problem = setting_value_problem(s, p.default)
        if problem:
            f = join_field(join_field(join_field(where, "settings"), j), "name")
            errors.append(err(f, f"the experiment's own default: {problem}"))
    return errors


def _exercise_errors(result: LoadResult, loc: Located) -> list[LessonError]:
    ex: Exercise = loc.obj
    path = loc.path
    errors: list[LessonError] = []

    def err(field: str, message: str) -> LessonError:
        return LessonError(path, result.line(path, field, ex.source.line if ex.source else 0), field, message)

    try:
        ref = resolve(ex.reference, result.python_path)
    except ResolveError as exc:
        errors.append(err("reference", str(exc)))
    else:
        if not inspect.ismodule(ref):
            errors.append(err("reference", f"{ex.reference} is not a module (the reference is a module holding {', '.join(ex.names)})"))
        else:
            missing = [n for n in ex.names if not hasattr(ref, n)]
            if missing:
                errors.append(err("names", f"{ex.reference} does not define {', '.join(missing)}"))
    try:
        cases = resolve(ex.cases, result.python_path)
    except ResolveError as exc:
        errors.append(err("cases", str(exc)))
    else:
        if not callable(cases):
            errors.append(err("cases", f"{ex.cases} is not a function"))
    for j, m in enumerate(ex.mistakes):
        f = join_field(join_field("mistakes", j), "impl")
        try:
            impl = resolve(m.impl, result.python_path)
        except ResolveError as exc:
            errors.append(err(f, str(exc)))
            continue
        if not callable(impl):
            errors.append(err(f, f"{m.impl} is not a function or class"))
    for j, q in enumerate(ex.quantities):
        f = join_field(join_field("quantities", j), "impl")
        try:
            impl = resolve(q.impl, result.python_path)
        except ResolveError as exc:
            errors.append(err(f, str(exc)))
            continue
        if not callable(impl):
            errors.append(err(f, f"{q.impl} is not a function"))
    return errors


def _check_errors(result: LoadResult, loc: Located) -> list[LessonError]:
    add_python_path(result.python_path)  # a course's checks may import its own Python
    errors: list[LessonError] = []
    outcomes = run_checks(loc.obj)
    for j, (check, (ok, value)) in enumerate(zip(loc.obj.checks, outcomes)):
        f = join_field(join_field(loc.where, "checks"), j)
        line = result.line(loc.path, join_field(f, "code"), loc.obj.source.line if loc.obj.source else 0)
        if not ok:
            errors.append(LessonError(loc.path, line, join_field(f, "code"), str(value)))
            continue
        assert isinstance(value, float)
        if not check_matches(check, value):
            shows_line = result.line(loc.path, join_field(f, "shows"), line)
            errors.append(LessonError(loc.path, shows_line, join_field(f, "shows"),
                                      f'the text shows "{check.shows}" but the code gives {value:.10g}'))
    return errors


# ---------------------------------------------------------------------------------------------
# setting names in text

_NAME = r"[^\W\d]\w*"  # an identifier, Greek letters and subscripts included: lr, β₁, warmup_steps
_ASSIGNED = re.compile(rf"(?<![\w.])({_NAME})\s*=\s*[-+\u2212]?[\w.]")  # "lr = 0.5"
_INSTRUCTED = re.compile(  # "set the largest λ to 10000", "switch show to step"
    rf"\b(?:set|switch|change|try|raise|lower|turn)\s+(?:the\s+)?({_NAME}(?:\s+{_NAME}){{0,2}}?)\s+(?:to|=)\s",
    re.IGNORECASE,
)
_CODE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`", re.DOTALL)  # code blocks and spans name code, not settings
_MENTIONS_PLOT = re.compile(r"\bplots?\b", re.IGNORECASE)


def setting_name_problems(step: PlotStep, text: str) -> list[str]:
    """What in ``text`` names a setting of ``step`` otherwise than the screen shows it.

    The screen labels a setting with its ``label`` (or its ``name`` when it has none). A heuristic,
    outside code: ``name = value`` anywhere is reported when ``name`` is a setting's code name and
    the screen shows another label ("lr" for "learning rate α"); an instruction ("set X to …",
    "try X = …") is also reported when X is only in ``defaults`` or is a code-like name
    (``warmup_steps``) that is no setting at all. Words of a label count as naming it ("k" for
    "exponential rate k").
    """
    shown = {s.name: s.label or s.name for s in step.settings}
    plain = _CODE.sub(" ", text)
    problems: list[str] = []
    seen: set[str] = set()
    for pattern in (_INSTRUCTED, _ASSIGNED):
        for match in pattern.finditer(plain):
            phrase = " ".join(match.group(1).split())
            if phrase in seen:
                continue
            seen.add(phrase)
            words = re.compile(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)")
            if any(words.search(label.lower()) for label in shown.values()):
                continue
            if phrase in shown:
                problems.append(f'"{phrase}" is shown on screen as "{shown[phrase]}": name the setting by its label')
            elif pattern is _ASSIGNED:
                continue  # "with lr = 0.2" may describe the run; only an instruction must be a setting
            elif phrase in step.defaults:
                problems.append(f'"{phrase}" is not a setting of this plot (only a default the learner cannot change)')
            elif "_" in phrase and phrase.isidentifier():
                problems.append(f'"{phrase}" is not a setting of this plot'
                                f"{did_you_mean(phrase, list(shown.values()))}")
    return problems


def setting_name_errors(result: LoadResult) -> list[LessonError]:
    """Plot steps whose text names a setting the plot does not show by that name.

    The text of a plot step is its caption and the text steps just before and after it that mention
    a plot. ``check_setting_names: false`` on the plot step turns this off for it.
    """
    if result.course is None:
        return []
    errors: list[LessonError] = []
    for loc in result.plots:
        step: PlotStep = loc.obj
        if not step.check_setting_names:
            continue
        lesson = next((l for l in result.course.lessons if any(s is step for s in l.steps)), None)
        index = next((i for i, s in enumerate(lesson.steps) if s is step), -1) if lesson else -1
        texts = [(join_field(loc.where, "caption"), step.caption)]
        prefix = loc.where[: loc.where.rfind("[")]
        for j in (index - 1, index + 1):
            if lesson is not None and index >= 0 and 0 <= j < len(lesson.steps):
                other = lesson.steps[j]
                if isinstance(other, TextStep) and _MENTIONS_PLOT.search(other.markdown):
                    texts.append((join_field(join_field(prefix, j), "markdown"), other.markdown))
        for field, text in texts:
            line = result.line(loc.path, field, step.source.line if step.source else 0)
            for problem in setting_name_problems(step, text):
                errors.append(LessonError(loc.path, line, field,
                                          f'{problem} (plot "{step.id}"; check_setting_names: false turns this off)'))
    return errors


# running checks with a time limit

#: Seconds one ``checks[].code`` may take (``TUTOR_CHECK_SECONDS`` overrides it). The shipped
#: checks take at most ~2 s (an experiment at its defaults); a check that runs longer is killed.
CHECK_SECONDS = 30.0

Outcome = tuple[bool, "float | str"]  # (True, value) or (False, "fails: ..." message)


def check_seconds() -> float:
    try:
        return float(os.environ.get("TUTOR_CHECK_SECONDS", "")) or CHECK_SECONDS
    except ValueError:
        return CHECK_SECONDS


def run_checks(step: Step, seconds: float | None = None) -> list[Outcome]:
    """Evaluate every ``checks[].code`` of ``step``, each within ``seconds``.

    The checks run in a forked child (NumPy and ``tutor.core`` imported first, so it starts warm)
    that reports each result as it finishes; a check that does not finish in time (a loop that
    never ends, in Python or in C) is killed with its process and reported, and the checks after
    it run in a fresh child. Where ``fork`` is missing they run in-process, without the limit.
    """
    checks = step.checks  # type: ignore[union-attr]
    limit = check_seconds() if seconds is None else seconds
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        namespace = check_namespace(step)
        return [_evaluate_safely(check, namespace) for check in checks]
    check_namespace(None)  # import NumPy and the core before forking
    outcomes: list[Outcome] = []
    while len(outcomes) < len(checks):
        outcomes.extend(_run_in_child(step, len(outcomes), limit))
    return outcomes


def _evaluate_safely(check: NumberCheck, namespace: dict[str, Any]) -> Outcome:
    try:
        return True, evaluate_check(check, namespace)
    except Exception as exc:  # noqa: BLE001 - any error in the check's code is the author's to fix
        return False, f"fails: {type(exc).__name__}: {exc}"


def _run_in_child(step: Step, start: int, limit: float) -> list[Outcome]:
    """Run checks ``start..`` of ``step`` in one child; stop at the first that overruns or crashes."""
    import json
    import select
    import signal
    import sys
    import time

    checks = step.checks  # type: ignore[union-attr]
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, write one JSON line per check, never return
        code = 0
        try:
            os.close(read_end)
            namespace = check_namespace(step)
            for check in checks[start:]:
                ok, value = _evaluate_safely(check, namespace)
                line = json.dumps([ok, value if ok else str(value)[:2000]]) + "\n"
                os.write(write_end, line.encode())
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    outcomes: list[Outcome] = []
    buffer = b""
    deadline = time.monotonic() + limit
    try:
        while start + len(outcomes) < len(checks):
            remaining = deadline - time.monotonic()
            ready = select.select([read_end], [], [], max(remaining, 0))[0] if remaining > 0 else []
            if not ready:
                outcomes.append((False, f"did not finish in {limit:g} s: a check computes one number; "
                                        "does its code loop forever?"))
                break
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                outcomes.append((False, "fails: the check ended the Python process that ran it"))
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                ok, value = json.loads(line)
                outcomes.append((bool(ok), float(value) if ok else str(value)))
                deadline = time.monotonic() + limit
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    return outcomes


# ---------------------------------------------------------------------------------------------
# numbers in text


def check_namespace(step: Step | None = None) -> dict[str, Any]:
    """What ``checks[].code`` sees: ``np`` and every public name of ``tutor.core``.

    For a plot step also ``experiments`` (the module ``tutor.core.experiments``) and
    ``run(**overrides)``: the step's experiment called with ``{**step.defaults, **overrides}``,
    e.g. ``run(lr=0.5).get("SGD").y[-1]``. Each distinct call runs once per namespace (figures
    are frozen). ``num(text, i=0)`` is the i-th number written in a string, for the numbers an
    experiment writes into its notes: ``num(run().notes[0])``.
    """
    import numpy as np

    import tutor.core as core
    import tutor.core.experiments as experiments

    names: dict[str, Any] = {n: getattr(core, n) for n in dir(core) if not n.startswith("_")}
    names["np"] = np
    names["num"] = num
    if isinstance(step, PlotStep):
        names["experiments"] = experiments
        names["run"] = _runner(step)
    return names


def _runner(step: PlotStep) -> Callable[..., Any]:
    """``run(**overrides)`` for ``step``'s checks (see :func:`check_namespace`)."""
    figures: dict[tuple[tuple[str, Any], ...], Any] = {}

    def run(**overrides: Any) -> Any:
        settings = {**step.defaults, **overrides}
        key = tuple(sorted(settings.items()))
        if key not in figures:  # resolved here, so a bad path is this check's error, not a crash
            figures[key] = resolve(step.experiment, step.python_path)(**settings)
        return figures[key]

    return run


_NUMBER = re.compile(r"[-+\u2212]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def num(text: str, i: int = 0) -> float:
    """The ``i``-th number written in ``text`` (negative ``i`` counts from the end).

    ``num("AdaGrad: final loss 0.229")`` → 0.229; ``num("diverged at step 28")`` → 28.0.
    """
    found = _NUMBER.findall(text)
    if not found:
        raise ValueError(f"no number in {text!r}")
    return float(found[i].replace("\u2212", "-"))


def evaluate_check(check: NumberCheck, namespace: dict[str, Any] | None = None) -> float:
    """The number ``check.code`` evaluates to (one element: a 1-element array counts)."""
    ns = dict(namespace if namespace is not None else check_namespace())
    value = eval(check.code, ns)  # noqa: S307 - lesson code is trusted like the package itself
    import numpy as np

    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"the code must give one number, got shape {arr.shape}")
    return float(arr.reshape(()))


def check_matches(check: NumberCheck, value: float) -> bool:
    """``|value − shows| ≤ half a unit of the last digit shown`` (with a hair of float slack)."""
    shown = number_value(check.shows)
    if shown is None or not math.isfinite(value):
        return False
    tol = half_unit(check.shows)
    return abs(value - float(shown)) <= tol * (1 + 1e-9)
