"""Markdown as the app hands it to Textual's ``Markdown`` widget.

A fenced block without a language (the course writes its formulas that way) makes Textual ask
Pygments to *guess* the language, which imports every lexer Pygments has: half a second before
the first step is drawn, and formulas coloured as some programming language. Such fences are
given the language ``text`` instead.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def plain_fences(markdown: str) -> str:
    """``markdown`` with every opening fence that names no language marked ``text``."""
    out: list[str] = []
    open_fence: str | None = None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if m is None:
            out.append(line)
            continue
        fence, info = m.group("fence"), m.group("info").strip()
        if open_fence is None:
            if fence[0] == "`" and "`" in info:
                out.append(line)  # not a fence: inline code spans on one line
                continue
            open_fence = fence
            if not info:
                line = f"{m.group('indent')}{fence}text"
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not info:
            open_fence = None
        out.append(line)
    return "\n".join(out)
