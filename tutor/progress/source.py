"""The learner's Python files as Python reads them (PEP 263, PEP 3120).

Python decodes a source file as UTF-8 unless it starts with a UTF-8 byte-order mark (then UTF-8,
the mark dropped) or one of its first two lines declares another encoding
(``# -*- coding: latin-1 -*-``). A file Python runs must not be refused here:
:func:`decode_source` follows the same rules (``tokenize.detect_encoding``), and
:func:`encode_source` saves text back in the encoding it declares, so a latin-1 file stays
latin-1 (saving it as UTF-8 with a latin-1 cookie would change what Python reads).
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize

# PEP 263: the cookie is a comment in line 1 or 2 matching this
_COOKIE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)


class SourceError(ValueError):
    """The file cannot be decoded as Python would (the message names the file and the line)."""


def decode_source(data: bytes, path: object = "the file") -> str:
    """The text of a Python source file, decoded as Python decodes it (BOM, coding cookie)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown encoding, a cookie that contradicts the BOM, bad bytes
        message = str(exc.msg if getattr(exc, "msg", None) else exc)
        if "invalid or missing encoding declaration" not in message:
            raise SourceError(f"{path}: {message}") from None
        encoding = "utf-8"  # non-UTF-8 bytes in the first two lines: say which line below
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        shown = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
        raise SourceError(
            f"{path}: line {line} is not valid {shown} text (byte 0x{data[exc.start]:02x}); "
            f"save it as UTF-8, or declare its encoding on line 1 (# -*- coding: latin-1 -*-)"
        ) from None


def declared_encoding(text: str) -> str | None:
    """The encoding a source text declares in its first two lines (PEP 263), or None."""
    for line in text.splitlines()[:2]:
        match = _COOKIE.match(line)
        if match:
            try:
                return codecs.lookup(match.group(1)).name
            except LookupError:
                return None
        if line.strip() and not line.lstrip().startswith("#"):
            return None  # the cookie must come before any code
    return None


def encode_source(text: str) -> bytes:
    """The bytes to save ``text`` as: in the encoding it declares, else UTF-8.

    Raises :class:`SourceError` when a character cannot be written in the declared encoding.
    """
    encoding = declared_encoding(text) or "utf-8"
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text[: exc.start].count("\n") + 1
        raise SourceError(
            f"line {line} holds {text[exc.start]!r}, which the file's declared encoding "
            f"({encoding}, line 1) cannot write: remove the coding line or the character"
        ) from None
