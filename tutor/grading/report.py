"""Human text rendering of a :class:`~tutor.grading.verdict.Verdict` (for ``tutor check``).

Order: the outcome line, the diagnosis (the most useful sentence comes first), a run-level failure
(syntax error, timeout…) with its traceback, then one line per case — failing cases with why, and
the first failing case with a view of its inputs —, the learner's printed output (trimmed), and
how to replay exactly this check.
"""

from __future__ import annotations

import textwrap

from tutor.grading.verdict import CaseVerdict, Verdict

__all__ = ["render", "insight_lines"]

DETAILED_FAILURES = 3  # failing cases shown with details; the rest get one line
OUTPUT_LINES = 20  # lines of the learner's printed output shown
OUTPUT_WIDTH = 160  # characters of each such line


# Terminal control characters in anything the learner's code produced (printed output, exception
# messages, tracebacks) are shown escaped, so ESC[2J or \r cannot clear the screen or overwrite
# the verdict with a fake "PASSED". Kept: newline and tab. Also bidi overrides (text reordering).
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)}
_CONTROL.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def visible(text: str) -> str:
    """``text`` with terminal control characters escaped (``ESC`` → ``\\x1b``)."""
    return text.translate(_CONTROL)


def _indent(text: str, prefix: str = "    ") -> str:
    return textwrap.indent(text.rstrip("\n"), prefix)


def _clip(line: str, width: int = OUTPUT_WIDTH) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _case_lines(c: CaseVerdict, detailed: bool) -> list[str]:
    if c.passed:
        return [f"  ✓ {c.name}"]
    lines = [f"  ✗ {c.name}"]
    lines.append(_indent(c.message or "failed"))
    if not detailed:
        return lines
    for d in c.details:
        lines.append(_indent(d))
    if c.traceback:
        lines.append(_indent(c.traceback, "      "))
    if c.inputs:
        lines.append("    inputs of this case:")
        lines.append(_indent(c.inputs, "      "))
    return lines


def insight_lines(verdict: Verdict) -> list[str]:
    """The quantities line and the near match (issue 14): where inside the learner's call the
    numbers first go wrong, and the known mistake their outputs agree with on most cases."""
    lines: list[str] = []
    q = getattr(verdict, "quantities", None)
    if q is not None:
        lines += ["", f"Inside your code ({q.call}, case {q.case!r}):"]
        lines.append(_indent(textwrap.fill(q.message, width=88, subsequent_indent="  "), "  "))
    for near in getattr(verdict, "near", ()) or ():
        lines += ["", f"Near match: {near.text}"]
        lines.append(_indent(textwrap.fill(" ".join(near.message.split()), width=88), "  "))
    return lines


def render(verdict: Verdict, *, title: str = "", replay: bool = True) -> str:
    """The verdict as text, ready to print."""
    head = f"{verdict.exercise}" + (f" — {title}" if title else "")
    outcome = "PASSED" if verdict.passed else "FAILED"
    out = [f"{head}: {outcome}. {verdict.summary}"]

    if verdict.diagnosis:
        out.append("")
        for d in verdict.diagnosis:
            out.append(f"Likely mistake{' in ' + d.scope if getattr(d, 'scope', '') else ''}: {d.name}")
            out.append(_indent(textwrap.fill(" ".join(d.message.split()), width=88), "  "))
    out += insight_lines(verdict)

    if verdict.status != "ok" and verdict.traceback:
        out.append("")
        out.append(_indent(verdict.traceback, "  "))

    ran = [c for c in verdict.cases if not c.message.startswith("not run")]
    if ran:
        out.append("")
        out.append(f"Cases ({verdict.cases_passed} of {verdict.cases_total} passed):")
        shown = 0
        for c in verdict.cases:
            if c.message.startswith("not run"):
                continue
            detailed = not c.passed and shown < DETAILED_FAILURES
            if not c.passed:
                shown += 1
            out += _case_lines(c, detailed)
        not_run = verdict.cases_total - len(ran)
        if not_run:
            out.append(f"  … {not_run} more case{'s' if not_run != 1 else ''} not run")

    if verdict.output.strip():
        lines = [_clip(line) for line in verdict.output.rstrip("\n").splitlines()]
        out.append("")
        out.append("Your code printed:")
        out.append(_indent("\n".join(lines[:OUTPUT_LINES]), "  | "))
        if len(lines) > OUTPUT_LINES:
            out.append(f"  | … ({len(lines) - OUTPUT_LINES} more lines)")

    if replay and not verdict.passed and ran:
        out.append("")
        out.append(f"Replay exactly this check: tutor check {verdict.exercise} --seed {verdict.seed}")
    return visible("\n".join(out)) + "\n"
