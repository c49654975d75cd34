"""Frames on pipes and in files: an 8-byte little-endian length, then that many bytes.

One copy, used on both sides of the process boundary: ``sandbox.py`` (the trusted parent) imports
it, the grading worker loads it by file path (so it imports only the standard library). Readers
never trust a length: a frame longer than the reader's ``limit`` is refused (``FrameError``), and a
``deadline`` (``time.monotonic()`` seconds) bounds every wait, so a stopped or hostile writer can
delay a reader, never freeze it.

    frame(payload) = len(payload).to_bytes(8, "little") + payload
    kinded(kind, payload) = kind (1 byte) + frame(payload)   # the child's results file
"""

from __future__ import annotations

import math
import os
import select
import struct
import time

HEADER = struct.Struct("<Q")


class FrameError(ValueError):
    """A frame that cannot be a real one: longer than the reader accepts."""


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload)) + payload


def kinded(kind: bytes, payload: bytes) -> bytes:
    return kind + HEADER.pack(len(payload)) + payload


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exact(fd: int, size: int, deadline: float | None = None) -> bytes | None:
    """``size`` bytes from ``fd``; None at end of file or when ``deadline`` passes first."""
    chunks = []
    poller = None
    if deadline is not None:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
    while size:
        if poller is not None:
            remaining = deadline - time.monotonic()  # type: ignore[operator]
            if remaining <= 0 or not poller.poll(max(1, math.ceil(remaining * 1000))):
                return None
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None, limit: int | None = None) -> bytes | None:
    """One frame's payload; None at end of file or past ``deadline``; ``FrameError`` when its
    length is over ``limit``."""
    head = read_exact(fd, HEADER.size, deadline)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if limit is not None and size > limit:
        raise FrameError(f"a frame of {size} bytes (at most {limit} are accepted)")
    return read_exact(fd, size, deadline)


def split_kinded(data: bytes) -> list[tuple[bytes, bytes]]:
    """The ``kinded`` frames in ``data``, in order; a last frame cut short (by a kill) is dropped."""
    frames, at, step = [], 0, 1 + HEADER.size
    while at + step <= len(data):
        kind = data[at : at + 1]
        (size,) = HEADER.unpack_from(data, at + 1)
        if at + step + size > len(data):
            break
        frames.append((kind, data[at + step : at + step + size]))
        at += step + size
    return frames
