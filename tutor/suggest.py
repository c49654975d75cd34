"""The one "did you mean" of tutor: the known name closest to a mistyped one.

Used for unknown exercise and lesson ids (``tutor check adma`` → ``adam``), unknown keys and
step types in lesson files, unknown settings and dotted-path attributes. Standard library only.

A candidate is close when its edit distance — counting a swap of two neighbouring letters as one
edit (``adma`` → ``adam``) — is at most a third of the word (at least 1), or difflib's similarity
ratio is ≥ 0.75, or (for words of 3 letters or more) one contains the other (``momentum`` →
``momentum_update``). Case is ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (optimal string alignment)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``word`` when it is close enough (see the module docstring)."""
    options = [k for k in known if k != word]
    if not options or len(word) > 200:
        return None
    low = word.lower()
    best = min(options, key=lambda k: (distance(low, k.lower()), -difflib.SequenceMatcher(None, low, k.lower()).ratio()))
    b = best.lower()
    if distance(low, b) <= max(1, len(word) // 3) or difflib.SequenceMatcher(None, low, b).ratio() >= 0.75:
        return best
    if len(low) >= 3 and (low in b or b in low):
        return best
    return None


def hint(word: str, known: Iterable[str]) -> str:
    """``' (did you mean "adam"?)'`` or ``""``, to append to a message."""
    close = closest(word, known)
    return f' (did you mean "{close}"?)' if close else ""
