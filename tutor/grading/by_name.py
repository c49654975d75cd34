"""A verdict per name, for exercises with several names (the nine optimizer classes, the
capstone's functions): which names pass, which fail, and which known mistake explains each.

A case belongs to a name when every name its ops construct or call (``new`` ``cls``, ``call``
``fn``) is that one name; cases that use several names (or none) belong to none. Only when
every case belongs to a name does the exercise get a per-name line in its summary::

    By class: passed SGD, Momentum, AdaGrad; failed Nesterov (3 of 4 cases), AdamW (4 of 4 cases).

``diagnose(...)`` tries each known mistake on the cases of the name it stands for only, so a
learner with two wrong classes (or a wrong component *and* a train that uses it) still hears
about each known mistake: the other names' failures do not hide it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["case_owner", "owners", "summary_line", "diagnose"]


def case_owner(case: Mapping[str, Any], names: Sequence[str]) -> str | None:
    """The one exercise name ``case`` constructs or calls, or None (several or none)."""
    used = set()
    for op in case.get("ops", ()):
        if op.get("op") == "call":
            used.add(op.get("fn"))
        elif op.get("op") == "new":
            used.add(op.get("cls"))
    used &= set(names)
    return next(iter(used)) if len(used) == 1 else None


def owners(names: Sequence[str], cases: Sequence[Mapping[str, Any]]) -> list[str | None] | None:
    """Each case's owner, or None when the exercise has one name or some case has no owner."""
    if len(names) < 2:
        return None
    found = [case_owner(c, names) for c in cases]
    return None if any(o is None for o in found) else found


def summary_line(names: Sequence[str], cases: Sequence[Mapping[str, Any]], passed: Sequence[bool]) -> str:
    """``"By class: passed A, B; failed C (3 of 4 cases)."``, or ``""`` when not per name."""
    own = owners(names, cases)
    if own is None:
        return ""
    made = {op.get("cls") for c in cases for op in c.get("ops", ()) if op.get("op") == "new"}
    kinds = {"class" if name in made else "function" for name in set(own)}
    label = "function and class" if len(kinds) > 1 else kinds.pop()
    ok: list[str] = []
    bad: list[str] = []
    for name in names:
        mine = [p for o, p in zip(own, passed) if o == name]
        if not mine:
            continue
        failed = sum(not p for p in mine)
        if failed:
            bad.append(f"{name} ({failed} of {len(mine)} case{'s' if len(mine) > 1 else ''})")
        else:
            ok.append(name)
    parts = []
    if ok:
        parts.append("passed " + ", ".join(ok))
    if bad:
        parts.append("failed " + ", ".join(bad))
    return f"By {label}: " + "; ".join(parts) + "."


def diagnose(
    exercise: Any,
    cases: Sequence[Mapping[str, Any]],
    learner: Sequence[Any],
    namespace_of: Callable[[Any], Mapping[str, Any]],
    agree: Callable[[Mapping[str, Any], Any, Any], bool],
    run: Callable[[Mapping[str, Any], Mapping[str, Any]], Any],
) -> list[tuple[str, str]]:
    """``(mistake name, message)`` of every known mistake that agrees with the learner on all the
    cases of the name it stands for, where the learner fails at least one of them.

    ``namespace_of(mistake)`` is the mistake's namespace, ``run(ns, case)`` runs one case in it,
    ``agree(case, mistake_run, learner_run)`` compares; the caller owns all three (grade.py)."""
    own = owners(exercise.names, cases)
    if own is None:
        return []
    found = []
    for m in exercise.mistakes:
        target = m.replaces or exercise.names[0]
        mine = [(c, got) for c, got, o in zip(cases, learner, own) if o == target]
        if not mine:
            continue
        ns = namespace_of(m)
        runs = [run(ns, c) for c, _ in mine]
        if all(agree(c, r, got) for (c, got), r in zip(mine, runs)):
            # the learner really fails there (a mistake that agrees with a right answer is no news)
            reference = namespace_of(None)
            if not all(agree(c, run(reference, c), got) for c, got in mine):
                found.append((m.name, m.message.strip()))
    return found
