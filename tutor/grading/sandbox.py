"""Run untrusted learner code in a separate process and bring back plain data.

``Sandbox()`` is a warm worker: a long-lived process (``_worker_main.py``, started by path) that has
NumPy and ``numpy.random`` imported, is a child subreaper, and forks one fresh child per request.
The child runs the learner's file and the case programs under resource limits and streams each
case's outputs back as data (``wire.py``); the worker enforces the wall-time limit and kills every
descendant at the end. ``run_once(request)`` does the same with a worker started for one call.

Importing this module does not import NumPy (``CaseRun``, ``ErrorInfo`` and ``Unsupported`` are
re-exported lazily), so a caller can start ``Sandbox()`` first and import NumPy and the reference
while the worker starts.

The parent decides nothing here: ``RunResult`` holds what came back; the comparison with expected
outputs is done by the caller (``grade.py``), in the trusted process.
"""

from __future__ import annotations

import math
import os
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily below: this module must not cost a NumPy import
    from tutor.grading.program import CaseRun, ErrorInfo
    from tutor.grading.wire import Unsupported

__all__ = [
    "RunRequest",
    "RunResult",
    "CaseRun",
    "ErrorInfo",
    "Unsupported",
    "STATUSES",
    "Sandbox",
    "SandboxError",
    "PendingRun",
    "run_once",
    "check_request",
]

#: every value ``RunResult.status`` can take
STATUSES = (
    "ok",  # the file loaded and every case ran (a case may still hold an error record)
    "syntax_error",  # the file does not compile
    "import_error",  # running the file raised (including KeyboardInterrupt)
    "missing_names",  # a required name is not defined (or not callable)
    "timeout",  # the wall-time (or CPU) limit was reached
    "memory",  # the memory limit was reached
    "crashed",  # the process died of a signal (segfault, abort, ...) or the worker failed
    "exited",  # sys.exit / SystemExit / os._exit
    "refused",  # the file imports tutor (the reference)
    "forked",  # everything ran, but the code started other processes (they were killed)
)


@dataclass(frozen=True)
class RunRequest:
    """One grading run: the learner's file and the case programs to run against it."""

    source: str  # the learner's file
    filename: str  # shown in tracebacks (the workspace path)
    names: tuple[str, ...]  # must be defined by the file
    cases: tuple[dict, ...]  # case programs (see program.py)
    time_limit: float = 5.0  # seconds, for the whole run
    memory_mb: int = 512  # address space the learner's code may add
    output_limit: int = 4096  # bytes of stdout/stderr kept
    trace: bool = False  # record the values the code binds (trace.py), for the quantities diagnosis


@dataclass(frozen=True)
class RunResult:
    """What came back. ``cases`` are the cases that finished, in order (all when status is "ok")."""

    status: str
    cases: tuple[CaseRun, ...]
    message: str  # one line for the learner: "timed out after 5 s", "SyntaxError at line 4: ..."
    traceback: str  # cut to the learner's lines, "" if none
    output: str  # the learner's printed output, trimmed to output_limit
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)  # diagnostics (exit code, signal name)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def __getattr__(name: str) -> Any:
    """Lazy re-exports of the data types defined next to the interpreter and the wire format."""
    if name in ("CaseRun", "ErrorInfo"):
        from tutor.grading import program

        return getattr(program, name)
    if name == "Unsupported":
        from tutor.grading import wire

        return wire.Unsupported
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- the parent side --------------------------------------------------------------------------

WORKER_SCRIPT = Path(__file__).with_name("_worker_main.py")
#: seconds the parent waits beyond the request's time limit before it gives up on the worker
GRACE = 10.0
#: seconds a new worker may take to import NumPy and say it is ready
START_TIMEOUT = 60.0
_MAX_ANSWER = 256 * 1024 * 1024
_SINGLE_THREADED = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


class SandboxError(RuntimeError):
    """The worker could not be started (a broken installation, not the learner's code)."""


class Sandbox:
    """A warm worker that runs requests one at a time (thread-safe; runs are serialized).

    The worker process starts at once (so its NumPy import overlaps the caller's own work) and
    is restarted transparently if it died since the last run. ``close()`` (or leaving the
    ``with`` block) stops it.
    """

    def __init__(self, *, python: str | None = None) -> None:
        if not sys.platform.startswith("linux"):
            raise SandboxError("checking code needs Linux (the sandbox uses prctl, memfd and pidfd)")
        self._python = python or sys.executable
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._finalizer: weakref.finalize | None = None
        self._start()

    # lifecycle

    def _start(self) -> None:
        env = dict(os.environ, **_SINGLE_THREADED)
        try:
            proc = subprocess.Popen(
                [self._python, "-I", str(WORKER_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                close_fds=True,
                start_new_session=True,  # Ctrl-C in the terminal is for the parent, not the worker
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the grading worker with {self._python}: {exc}") from None
        self._proc, self._ready = proc, False
        self._finalizer = weakref.finalize(self, _stop_worker, proc)

    def _ensure_ready(self) -> subprocess.Popen[bytes]:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            self._discard()
            self._start()
            proc = self._proc
        assert proc is not None and proc.stdout is not None
        if not self._ready:
            hello = _read_frame(proc.stdout.fileno(), time.monotonic() + START_TIMEOUT)
            if hello is None:
                self._discard()
                raise SandboxError(f"the grading worker did not start ({self._python} {WORKER_SCRIPT})")
            self._ready = True
        return proc

    def _discard(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # stops the process
        self._proc, self._ready, self._finalizer = None, False, None

    def close(self) -> None:
        """Stop the worker (idempotent). Waits for a run in progress, but not forever: a
        ``PendingRun`` whose ``result()`` was never called does not keep the worker alive."""
        locked = self._lock.acquire(timeout=GRACE)
        try:
            self._discard()
        finally:
            if locked:
                self._lock.release()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id, when one is running (for tests and diagnostics)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # running

    def run(self, request: RunRequest) -> RunResult:
        """Run ``request`` in a fresh child of the worker and return what came back.

        If the worker is found dead (killed since the last run, or during this one), it is
        restarted and the request sent once more; a second loss is reported as "crashed"."""
        return self.submit(request).result()

    def submit(self, request: RunRequest) -> "PendingRun":
        """Send ``request`` and return at once; ``.result()`` waits for the answer.

        Lets the caller do its own work (the reference, the known mistakes) while the learner's
        code runs. The sandbox is held until ``result()`` is called: call it, also on errors
        (``with sandbox.submit(request) as pending: ... pending.result()``)."""
        message = _encode_request(request)
        self._lock.acquire()
        pending = PendingRun(self, message, request.time_limit)
        try:
            pending._send()
        except BaseException:
            self._lock.release()
            raise
        return pending

    def _send(self, message: bytes) -> bool:
        """Write one request; False if the worker is gone."""
        proc = self._ensure_ready()
        assert proc.stdin is not None
        try:
            proc.stdin.write(message)
            proc.stdin.flush()
        except OSError:
            return False
        return True

    def _receive(self, deadline: float) -> tuple[tuple[bytes, list[bytes]] | None, bool]:
        """Read one answer: (answer or None, whether the worker was lost)."""
        proc = self._proc
        if proc is None or proc.stdout is None:
            return None, True
        try:
            answer = _read_answer(proc.stdout.fileno(), deadline)
        except OSError:
            return None, True
        if answer is None:
            return None, proc.poll() is not None or time.monotonic() < deadline
        return answer, False


class PendingRun:
    """A request sent to the worker; ``result()`` waits for its answer (once; later calls return
    the same result). Holds the sandbox until then."""

    def __init__(self, sandbox: Sandbox, message: bytes, time_limit: float) -> None:
        self._sandbox = sandbox
        self._message = message
        self._started = time.monotonic()
        self._deadline = self._started + time_limit + GRACE
        self._sent = False
        self._result: RunResult | None = None

    def _send(self) -> None:
        self._sent = self._sandbox._send(self._message)

    def result(self) -> RunResult:
        if self._result is not None:
            return self._result
        box = self._sandbox
        try:
            for attempt in range(2):
                if attempt or not self._sent:  # the worker is gone: a fresh one, same request
                    box._discard()
                    if not box._send(self._message):
                        continue
                answer, lost = box._receive(self._deadline)
                if answer is not None:
                    self._result = _decode_answer(*answer)
                    return self._result
                if not lost:  # no answer in time: the worker hangs; do not try again
                    break
            box._discard()
            self._result = _worker_lost(time.monotonic() - self._started)
            return self._result
        finally:
            box._lock.release()

    def __enter__(self) -> "PendingRun":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._result is None:
            self.result()


def run_once(request: RunRequest) -> RunResult:
    """Run one request with a worker started (and stopped) for it: for ``tutor check``."""
    with Sandbox() as sandbox:
        return sandbox.run(request)


def check_request(request: RunRequest) -> None:
    """Raise ``ValueError`` if the request is malformed (a bug in the caller, not the learner's)."""
    from tutor.grading.program import check_case

    if not isinstance(request.source, str) or not isinstance(request.filename, str):
        raise ValueError("RunRequest: source and filename must be str")
    if not all(isinstance(name, str) for name in request.names):
        raise ValueError("RunRequest: names must be str")
    if not (request.time_limit > 0 and math.isfinite(request.time_limit)):
        raise ValueError(f"RunRequest: time_limit must be > 0 seconds, not {request.time_limit!r}")
    if request.memory_mb < 16:
        raise ValueError(f"RunRequest: memory_mb must be at least 16, not {request.memory_mb!r}")
    if request.output_limit < 0:
        raise ValueError("RunRequest: output_limit must be >= 0")
    for case in request.cases:
        check_case(case)


def _encode_request(request: RunRequest) -> bytes:
    """Two frames: the small meta the worker reads, and the payload it hands to the child as is."""
    from tutor.grading import wire
    from tutor.grading.program import MARKERS

    check_request(request)
    limits = {
        "time_limit": float(request.time_limit),
        "memory_mb": int(request.memory_mb),
        "output_limit": int(request.output_limit),
    }
    meta = wire.pack({**limits, "case_names": [case["name"] for case in request.cases]})
    payload = wire.pack(
        {
            **limits,
            "source": request.source,
            "filename": request.filename,
            "names": list(request.names),
            "cases": list(request.cases),
            "trace": bool(request.trace),
        },
        markers=MARKERS,
    )
    return struct.pack("<Q", len(meta)) + meta + struct.pack("<Q", len(payload)) + payload


def _stop_worker(proc: subprocess.Popen[bytes]) -> None:
    try:
        if proc.stdin is not None:
            proc.stdin.close()  # the worker exits when its input ends
        proc.wait(timeout=2)
    except Exception:  # noqa: BLE001 - stopping must not raise
        proc.kill()
        try:
            proc.wait(timeout=2)
        except Exception:  # noqa: BLE001
            pass
    finally:
        if proc.stdout is not None:
            proc.stdout.close()


def _read_exact(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, poller = [], select.poll()
    poller.register(fd, select.POLLIN)
    while size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(max(1, math.ceil(remaining * 1000))):
            return None
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float) -> bytes | None:
    head = _read_exact(fd, 8, deadline)
    if head is None:
        return None
    (size,) = struct.unpack("<Q", head)
    if size > _MAX_ANSWER:
        return None
    return _read_exact(fd, size, deadline)


def _read_answer(fd: int, deadline: float) -> tuple[bytes, list[bytes]] | None:
    from tutor.grading import wire

    header = _read_frame(fd, deadline)
    if header is None:
        return None
    try:
        count = int(wire.unpack(header)["n_cases"])
    except (wire.WireError, KeyError, TypeError, ValueError):
        return None
    cases = []
    for _ in range(count):
        frame = _read_frame(fd, deadline)
        if frame is None:
            return None
        cases.append(frame)
    return header, cases


def _decode_answer(header_bytes: bytes, case_frames: list[bytes]) -> RunResult:
    from tutor.grading import wire

    header = wire.unpack(header_bytes)
    cases = tuple(_decode_case(index, frame) for index, frame in enumerate(case_frames))
    status = header.get("status")
    if status not in STATUSES:
        status = "crashed"
    extra = header.get("extra")
    return RunResult(
        status=status,
        cases=cases,
        message=_text(header.get("message")),
        traceback=_text(header.get("traceback")),
        output=_text(header.get("output")),
        seconds=float(header.get("seconds", 0.0)),
        extra=extra if isinstance(extra, dict) else {},
    )


def _decode_case(index: int, frame: bytes) -> CaseRun:
    """One case as sent by the child. Anything malformed becomes an error record, never a crash."""
    from tutor.grading import wire
    from tutor.grading.program import CaseRun, ErrorInfo

    try:
        record = wire.unpack(frame)
        name = record["name"]
        outputs = record["outputs"]
        if not isinstance(name, str) or not isinstance(outputs, dict):
            raise TypeError("bad case record")
        error = record["error"]
        if error is not None:
            kind, message, tb, op_index = error
            error = ErrorInfo(
                _text(kind), _text(message), _text(tb), op_index if type(op_index) is int else None
            )
        mutated = tuple((int(i), _text(arg)) for i, arg in record["mutated"])
        return CaseRun(name, outputs, error, mutated, _trace(record.get("trace")))
    except (wire.WireError, KeyError, TypeError, ValueError) as exc:
        problem = ErrorInfo("GradingError", f"the results of case {index + 1} could not be read: {exc}")
        return CaseRun(f"case {index + 1}", {}, problem, ())


def _trace(value: object) -> Any:
    """The trace of a case as the child sent it (``trace.compact``: a JSON string and one flat
    array), kept packed: ``trace.expand`` reads it only when a failing check needs it (and keeps
    only well-formed records). Anything else is dropped: the trace only feeds a diagnosis."""
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str):
        return value
    return ()


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _worker_lost(seconds: float) -> RunResult:
    return RunResult(
        status="crashed",
        cases=(),
        message="the grading process stopped unexpectedly while running your code; check again",
        traceback="",
        output="",
        seconds=seconds,
    )
