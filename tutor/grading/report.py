"""Human text rendering of a :class:`~tutor.grading.verdict.Verdict` (for ``tutor check``).

Order: the outcome line, the diagnosis (the most useful sentence comes first), a run-level failure
(syntax error, timeout…) with its traceback, then one line per case — failing cases with why, and
the first failing case with a view of its inputs —, the learner's printed output (trimmed), and
how to replay exactly this check.
"""

from __future__ import annotations

import re
import textwrap

from tutor.grading.sandbox import isolation_warning
from tutor.grading.verdict import CaseVerdict, Verdict

__all__ = ["render", "insight_lines", "visible", "unwrap", "inline_spans", "plain", "first_sentence"]

DETAILED_FAILURES = 3  # failing cases shown with details; the rest get one line
OUTPUT_LINES = 20  # lines of the learner's printed output shown
OUTPUT_WIDTH = 160  # characters of each such line
REPORT_WIDTH = 78  # columns the prose of the report is wrapped to (an 80-column terminal)


# Terminal control characters in anything the learner's code produced (printed output, exception
# messages, tracebacks) are shown escaped, so ESC[2J or \r cannot clear the screen or overwrite
# the verdict with a fake "PASSED". Kept: newline and tab. Also bidi overrides (text reordering).
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)}
_CONTROL.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def visible(text: str) -> str:
    """``text`` with terminal control characters escaped (``ESC`` → ``\\x1b``)."""
    return text.translate(_CONTROL)


# ---- the Markdown of mistake messages: `code`, **strong**, *emphasis*, soft line breaks --------------
_SPAN = re.compile(r"`([^`\n]+)`|\*\*([^*\n]+?)\*\*|(?<![\w*])\*([^*\s][^*\n]*?)\*(?![\w*])")
_BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+[.)] |```|>|#|\s{4})")


def unwrap(text: str) -> str:
    """Markdown's soft line breaks joined: the lines of a paragraph become one line (an author's
    line breaks, made to fit the YAML file, are not the learner's). Blank lines stay paragraph
    breaks; list items, quotes, headings, fences and indented code keep their own lines."""
    out: list[str] = []
    fenced = False
    for raw in text.strip("\n").splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line)
            continue
        if fenced or not line or not out or not out[-1] or _BLOCK_START.match(line) or out[-1].lstrip().startswith("```"):
            out.append(line)
            continue
        out[-1] = out[-1] + " " + line.strip()
    return "\n".join(out)


def inline_spans(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (piece, kind) with kind "" (plain), "code", "strong" or "em": the markers
    themselves (backticks, asterisks) are left out. An unpaired marker stays as written."""
    spans: list[tuple[str, str]] = []
    at = 0
    for m in _SPAN.finditer(text):
        if m.start() > at:
            spans.append((text[at : m.start()], ""))
        code, strong, em = m.groups()
        if code is not None:
            spans.append((code, "code"))
        elif strong is not None:
            spans.append((strong, "strong"))
        else:
            spans.append((em, "em"))
        at = m.end()
    if at < len(text):
        spans.append((text[at:], ""))
    return spans


def plain(text: str) -> str:
    """A Markdown message as plain text for a terminal: paragraphs unwrapped, no markers."""
    return "\n".join("".join(piece for piece, _ in inline_spans(line)) for line in unwrap(text).splitlines())


def first_sentence(text: str) -> str:
    """The first sentence of a message, as plain text (up to the first ". ", ": " excluded)."""
    flat = " ".join(plain(text).split())
    m = re.search(r"(?<!e\.g)(?<!i\.e)[.!?](?=\s|$)", flat)
    return flat[: m.end()] if m else flat


def _fill(text: str, width: int, prefix: str) -> str:
    """Plain text wrapped to ``width`` paragraph by paragraph (list items keep their lines)."""
    lines: list[str] = []
    for line in plain(text).splitlines():
        if not line.strip():
            lines.append("")
            continue
        lines.extend(textwrap.wrap(line, width=width, subsequent_indent="  " if _BLOCK_START.match(line) else "",
                                   break_on_hyphens=False, break_long_words=False) or [""])
    return "\n".join(prefix + ln if ln else "" for ln in lines)


def _indent(text: str, prefix: str = "    ") -> str:
    return textwrap.indent(text.rstrip("\n"), prefix)


def _clip(line: str, width: int = OUTPUT_WIDTH) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _case_lines(c: CaseVerdict, detailed: bool) -> list[str]:
    if c.passed:
        return [f"  ✓ {c.name}"]
    lines = [f"  ✗ {c.name}"]
    lines.append(_indent(plain(c.message) if c.message else "failed"))
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
        lines.append(_fill(q.message, width=REPORT_WIDTH - 2, prefix="  "))
    for near in getattr(verdict, "near", ()) or ():
        lines += ["", f"Near match: {plain(near.text)}"]
        lines.append(_fill(near.message, width=REPORT_WIDTH - 2, prefix="  "))
    return lines


def render(verdict: Verdict, *, title: str = "", replay: bool = True) -> str:
    """The verdict as text, ready to print."""
    head = f"{verdict.exercise}" + (f" — {title}" if title else "")
    outcome = "PASSED" if verdict.passed else "FAILED"
    out = [f"{head}: {outcome}. {plain(verdict.summary)}"]

    if verdict.diagnosis:
        # the message names the mistake in the learner's words; its id is for --json only
        for d in verdict.diagnosis:
            out.append("")
            out.append(f"Likely mistake{' in ' + d.scope if d.scope else ''}:")
            out.append(_fill(d.message, width=REPORT_WIDTH - 2, prefix="  "))
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

    warning = isolation_warning(verdict.sandbox) if verdict.sandbox else ""
    if warning:
        out.append("")
        out.append(warning)

    if replay and not verdict.passed and ran:
        out.append("")
        out.append(f"Replay exactly this check: tutor check {verdict.exercise} --seed {verdict.seed}")
    return visible("\n".join(out)) + "\n"
