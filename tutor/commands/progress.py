"""``tutor progress [--json]``: per module, what is done, the attempts, the time spent; a bar.

Progress for ids no longer in the course is kept, not counted, and reported. The JSON shape is
documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import json
from tutor.record import fields
from typing import Any

from tutor.commands._common import handles_errors, load, open_store, workspace
from tutor.progress.status import Snapshot, Tally, module_status, orphans, tally

JSON_FORMAT = 1
BAR_WIDTH = 24


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """``[#########---------------]`` with ``round(fraction·width)`` hashes (0 < f < 1 shows ≥ 1, < width)."""
    f = min(max(fraction, 0.0), 1.0)
    n = round(f * width)
    if 0 < f < 1:
        n = min(max(n, 1), width - 1)
    return "[" + "#" * n + "-" * (width - n) + "]"


def duration(seconds: float) -> str:
    """``"1 h 05 min"``, ``"12 min"``, ``"40 s"``, ``"0 min"``."""
    s = int(round(seconds))
    if s <= 0:
        return "0 min"
    if s < 60:
        return f"{s} s"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _counts(t: Tally) -> dict[str, Any]:
    d: dict[str, Any] = {name: getattr(t, name) for name in fields(t)}
    d["seconds"] = round(t.seconds, 1)
    d["fraction"] = round(t.fraction, 4)
    return d


def build(course: Any, snap: Snapshot) -> dict[str, Any]:
    """The ``tutor progress --json`` document."""
    modules = []
    for m in course.modules:
        t = tally(m.lessons, snap)
        modules.append({"id": m.id, "title": m.title, "status": module_status(m, snap), **_counts(t)})
    all_lessons = tuple(x for m in course.modules for x in m.lessons)
    lost = orphans(course, snap)
    return {
        "format": JSON_FORMAT,
        "course": course.title,
        "modules": modules,
        "total": _counts(tally(all_lessons, snap)),
        "position": {"lesson": snap.position[0], "step": snap.position[1]} if snap.position else None,
        "orphans": {"exercises": list(lost.exercises), "lessons": list(lost.lessons), "steps": list(lost.steps)},
        "messages": lost.messages(),
    }


def _block(title: str, c: dict[str, Any]) -> list[str]:
    pct = f"{100 * c['fraction']:3.0f}%"
    n = c["attempts"]
    return [
        title,
        f"   {bar(c['fraction'])} {pct}  {c['steps_done']}/{c['steps_total']} steps",
        f"   lessons {c['lessons_done']}/{c['lessons_total']} · exercises "
        f"{c['exercises_done']}/{c['exercises_total']} · {n} attempt{'s' if n != 1 else ''} · "
        f"{duration(c['seconds'])}",
    ]


def render(doc: dict[str, Any]) -> str:
    out = [doc["course"], ""]
    for m in doc["modules"]:
        out += _block(f"{m['id']}  {m['title']}", m)
    out += _block("All", doc["total"])
    if doc["position"]:
        p = doc["position"]
        out += ["", f"Last seen: lesson {p['lesson']}, step `{p['step']}` (`tutor start` continues there)."]
    if doc["messages"]:
        out += [""] + doc["messages"]
    return "\n".join(out)


@handles_errors
def run(args: argparse.Namespace) -> int:
    course = load(args)
    with open_store() as store:
        snap = Snapshot.read(store, workspace())
    doc = build(course, snap)
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(render(doc))
    return 0
