"""Run untrusted learner code in a separate process and bring back plain data.

``Sandbox()`` is a warm worker: a long-lived process (``_worker_main.py``, started by path) that has
NumPy and ``numpy.random`` imported, is a child subreaper, and forks one fresh child per request.
The child runs the learner's file and the case programs under resource limits and streams each
case's outputs back as data (``wire.py``); the worker enforces the wall-time limit and kills every
descendant at the end. ``run_once(request)`` does the same with a worker started for one call.

Importing this module does not import NumPy (``CaseRun``, ``ErrorInfo`` and ``Unsupported`` are
re-exported lazily), so a caller can start ``Sandbox()`` first and import NumPy and the reference
while the worker starts.

The child is confined by the kernel (``confine.py``: Landlock, seccomp, user/PID/network/IPC/mount
namespaces, no_new_privs, rlimits, non-dumpable), each mechanism detected at run time; what a run
had is ``RunResult.sandbox`` and ``partial()`` says whether an essential one was missing.

The parent decides nothing here: ``RunResult`` holds what came back, decoded defensively (forged or
garbled data is a failed case or a "crashed" run, never an exception); the comparison with expected
outputs is done by the caller (``grade.py``), in the trusted process.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.grading import framing

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
    #: the confinement the code ran under: {"mechanisms": [names in force], "missing": {name: why}}
    sandbox: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def isolation_partial(self) -> bool:
        """Whether a mechanism that protects the grader was not in force for this run."""
        return partial(self.sandbox)


#: the mechanisms without which learner code can reach something of value (files, processes,
#: the network); the others narrow what it can do but are not a boundary on their own
ESSENTIAL = ("landlock", "seccomp", "pid_namespace", "net_namespace", "no_new_privs", "rlimits")


def partial(sandbox: dict[str, Any]) -> bool:
    """Whether ``sandbox`` (a ``RunResult.sandbox``) lacks an essential mechanism. Without a PID
    namespace, Landlock's signal scoping (ABI 6) or the seccomp filter on ``kill`` stands in for it;
    without a network namespace, Landlock's TCP rules (ABI 4) do."""
    mechanisms = set(sandbox.get("mechanisms") or ())
    abi = sandbox.get("landlock_abi") or 0
    if not {"landlock", "seccomp", "no_new_privs", "rlimits"} <= mechanisms:
        return True
    if "net_namespace" not in mechanisms and not (isinstance(abi, int) and abi >= 4):
        return True
    return False


def isolation_warning(sandbox: dict[str, Any]) -> str:
    """One line for the text report when isolation is partial ("" when it is not)."""
    if not partial(sandbox):
        return ""
    absent = [name.replace("_", " ") for name in ESSENTIAL if name not in (sandbox.get("mechanisms") or ())]
    listed = ", ".join(absent) if absent else "some mechanisms"
    return (
        f"Warning: isolation is partial here ({listed} not in force): the checked code could reach "
        "files or processes of this account. `tutor doctor` says why."
    )


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
_MAX_ANSWER = 256 * 1024 * 1024  # bytes of one frame from the worker
_MAX_CASES = 100_000
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

    def __init__(
        self,
        *,
        python: str | None = None,
        disable: "tuple[str, ...] | None" = None,
        once: bool = False,
        fork: bool = False,
    ) -> None:
        """``disable`` names confinement mechanisms to leave out (``confine.MECHANISMS``, or
        ``"namespaces"``); None takes them from ``TUTOR_SANDBOX_DISABLE``. For tests and
        ``tutor doctor``: the default is every mechanism the kernel offers.

        ``once``: the worker serves one request and exits (``tutor check``); it skips the set-up
        that only pays off over many requests, so it is ready sooner. A later request starts a
        fresh worker.

        ``fork``: the first worker is this process, forked after it imported NumPy (see
        ``_fork_worker``), instead of a fresh interpreter that imports NumPy again: ~100 ms of CPU
        less, which on two CPUs is most of a cold ``tutor check``. Only for a caller that holds
        nothing of value yet: ``tutor check`` creates its sandbox before it reads the exercise.
        Where forking is not safe (threads, the reference or the app already imported) the
        worker is started as usual; a restarted worker is always a fresh interpreter."""
        if not sys.platform.startswith("linux"):
            raise SandboxError("checking code needs Linux (the sandbox uses prctl, memfd and pidfd)")
        self._python = python or sys.executable
        self._disable = None if disable is None else ",".join(disable)
        self._once = once
        self._fork = fork
        self._sent_one = False
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._info: dict[str, Any] = {}
        self._finalizer: weakref.finalize | None = None
        self._start()
        _protect_this_process()

    # lifecycle

    def _start(self) -> None:
        env = dict(os.environ, **_SINGLE_THREADED)
        if self._disable is not None:
            env["TUTOR_SANDBOX_DISABLE"] = self._disable
        fork, self._fork = self._fork, False  # only ever the first worker
        forked = _fork_worker(env, self._once) if fork else None
        if forked is not None:
            self._proc, self._ready, self._sent_one = forked, False, False  # type: ignore[assignment]
            self._finalizer = weakref.finalize(self, _stop_worker, forked)
            return
        try:
            proc = subprocess.Popen(
                [self._python, "-I", str(WORKER_SCRIPT), *(["--once"] if self._once else [])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                close_fds=True,
                start_new_session=True,  # Ctrl-C in the terminal is for the parent, not the worker
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the grading worker with {self._python}: {exc}") from None
        self._proc, self._ready, self._sent_one = proc, False, False
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
            info = _decode_hello(hello) if hello is not None else None
            if info is None and isinstance(proc, _ForkedWorker):  # a fresh interpreter, once
                self._discard(kill=True)
                return self._ensure_ready()
            if info is None:
                self._discard()
                raise SandboxError(f"the grading worker did not start ({self._python} {WORKER_SCRIPT})")
            self._info = info
            self._ready = True
        return proc

    def _discard(self, *, kill: bool = False) -> None:
        """Stop the worker: politely (it exits when its input ends), or with ``kill`` at once (a
        worker that missed its deadline may be stopped or hung: no time for politeness)."""
        if kill and self._proc is not None:
            try:
                self._proc.kill()
            except OSError:
                pass
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

    def info(self) -> dict[str, Any]:
        """What the worker set up (waits for it to start): ``{"mechanisms": [...], "missing":
        {name: why not}}`` before any child confined itself; a run's ``RunResult.sandbox`` says what
        that run had."""
        with self._lock:
            self._ensure_ready()
            return dict(self._info)

    def ready(self) -> bool:
        """Whether the worker is up and has said so (never waits): a request sent now would be
        served at once."""
        if self._ready:
            return True
        proc = self._proc
        if proc is None or proc.stdout is None:
            return False
        import select

        try:
            poller = select.poll()
            poller.register(proc.stdout.fileno(), select.POLLIN)
            return bool(poller.poll(0))
        except (OSError, ValueError):
            return False

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id, when one is running (for tests and diagnostics)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    @property
    def server_pid(self) -> int | None:
        """The process that serves requests and forks the children, as seen from here: the worker
        itself, or, when it made a PID namespace, its one child (PID 1 inside). For tests and
        diagnostics."""
        worker = self.worker_pid
        if worker is None:
            return None
        kids = []
        try:
            entries = os.listdir("/proc")
        except OSError:
            return worker
        for entry in entries:
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", "rb") as stat:
                        text = stat.read()
                except OSError:
                    continue
                if int(text[text.rfind(b")") + 2 :].split()[1]) == worker:
                    kids.append(int(entry))
        return kids[0] if len(kids) == 1 and "pid_namespace" in self._info.get("mechanisms", ()) else worker

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
        if self._once and self._sent_one:  # a one-request worker has served (or is serving) its one
            self._discard()
        proc = self._ensure_ready()
        assert proc.stdin is not None
        self._sent_one = True
        try:
            proc.stdin.write(message)
            proc.stdin.flush()
        except OSError:
            return False
        return True

    def _receive(self, deadline: float) -> tuple[tuple[bytes, list[bytes]] | str | None, bool]:
        """Read one answer: (answer, or None, or why it could not be read; whether the worker
        was lost)."""
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
    the same result). Holds the sandbox until then. Never raises for anything the worker or the
    learner's code did: a lost, stopped or garbled worker is a "crashed" result, within the time
    limit plus ``GRACE``."""

    def __init__(self, sandbox: Sandbox, message: bytes, time_limit: float) -> None:
        self._sandbox = sandbox
        self._message = message
        self._started = time.monotonic()
        self._deadline = self._started + time_limit + GRACE
        self._sent = False
        self._released = False
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
                if isinstance(answer, str):  # the worker's answer could not be read
                    box._discard(kill=True)
                    self._result = _worker_lost(time.monotonic() - self._started, answer)
                    return self._result
                if answer is not None:
                    self._result = _decode_answer(*answer)
                    return self._result
                if not lost:  # no answer in time: the worker hangs (or was stopped); no retry
                    break
            box._discard(kill=True)
            self._result = _worker_lost(time.monotonic() - self._started)
            return self._result
        finally:
            if not self._released:
                self._released = True
                box._lock.release()

    def __enter__(self) -> "PendingRun":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._result is None and not self._released:
            self.result()


def _protect_this_process() -> None:
    """The process that grades holds the reference's results: mark it non-dumpable (no core
    file, no ``/proc/<pid>/mem`` for other processes of the user)."""
    from tutor.grading import confine

    if "non_dumpable" not in confine.disabled_from_env():
        confine.set_non_dumpable()


def run_once(request: RunRequest) -> RunResult:
    """Run one request with a worker started (and stopped) for it: for ``tutor check``."""
    with Sandbox(once=True) as sandbox:
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
    from tutor.grading.program import pack_request

    check_request(request)
    limits = {
        "time_limit": float(request.time_limit),
        "memory_mb": int(request.memory_mb),
        "output_limit": int(request.output_limit),
    }
    meta = wire.pack({**limits, "case_names": [case["name"] for case in request.cases]})
    payload = pack_request(
        {
            **limits,
            "source": request.source,
            "filename": request.filename,
            "names": list(request.names),
            "cases": list(request.cases),
            "trace": bool(request.trace),
        }
    )
    return framing.frame(meta) + framing.frame(payload)


#: modules whose presence means this process may hold something of value (the reference, the
#: learner's progress, the app's state): it is then never forked into a worker
_NOT_FORKABLE = (
    "tutor.core",
    "tutor.course",
    "tutor.exercises",
    "tutor.grading.grade",
    "tutor.progress.store",
    "tutor.app",
    "textual",
)


def _fork_worker(env: dict[str, str], once: bool) -> "_ForkedWorker | None":
    """Fork this process into a grading worker that shares its NumPy import; None when that is
    not safe here (the caller then starts a fresh interpreter).

    Safe means: nothing of value is in this process yet (none of ``_NOT_FORKABLE`` imported: no
    reference, no progress store, no app) and it runs one thread (after a fork only the calling
    thread exists, and ``unshare`` of a user namespace needs a single-threaded process). NumPy is
    imported here first, single-threaded (``_SINGLE_THREADED`` is set in this process's
    environment before the import, as it is for a spawned worker). The forked process becomes
    exactly what ``python -I _worker_main.py`` is (``_become_worker``): it drops the ``tutor``
    modules and every inherited descriptor, then loads and runs ``_worker_main.py`` by path."""
    if not hasattr(os, "fork") or any(
        name == prefix or name.startswith(prefix + ".") for name in list(sys.modules) for prefix in _NOT_FORKABLE
    ):
        return None
    if "numpy" not in sys.modules:
        for name, value in _SINGLE_THREADED.items():
            os.environ.setdefault(name, value)
    try:
        import numpy  # noqa: F401 - the point: imported once, shared with the worker
        import numpy.random  # noqa: F401 - the case building needs it here; the learner may there
    except ImportError:
        return None
    try:
        if len(os.listdir("/proc/self/task")) != 1:
            return None
    except OSError:
        return None
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # what is buffered here must not be written twice
        except (AttributeError, OSError, ValueError):
            pass
    request_read, request_write = os.pipe()
    answer_read, answer_write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (request_read, request_write, answer_read, answer_write):
            os.close(fd)
        return None
    if pid == 0:  # the worker
        _become_worker(request_read, answer_write, env, once)
    os.close(request_read)
    os.close(answer_write)
    return _ForkedWorker(pid, os.fdopen(request_write, "wb"), os.fdopen(answer_read, "rb"))


def _become_worker(request_read: int, answer_write: int, env: dict[str, str], once: bool) -> None:
    """In the forked process: become the worker, as a fresh ``python -I _worker_main.py`` would
    be (its input and output the two pipes, no other descriptor, no ``tutor`` module, isolated
    ``sys.path``), and never return."""
    try:
        os.setsid()  # Ctrl-C in the terminal is for the parent, not the worker
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(request_read, 0)
        os.dup2(answer_write, 1)
        os.dup2(devnull, 2)
        os.closerange(3, _max_fd())
        os.environ.clear()
        os.environ.update(env)
        for name in [n for n in sys.modules if n == "tutor" or n.startswith("tutor.")]:
            del sys.modules[name]
        import types

        sys.modules["__main__"] = types.ModuleType("__main__")
        cwd = os.getcwd()
        sys.path[:] = [p for p in sys.path if p and os.path.isabs(p) and p != cwd]
        sys.argv[:] = [str(WORKER_SCRIPT), *(["--once"] if once else [])]
        import importlib.machinery

        name = "_tutor_sandbox_worker"  # the name under which _worker_main.py enters namespaces
        loader = importlib.machinery.SourceFileLoader(name, str(WORKER_SCRIPT))
        module = types.ModuleType(name)
        module.__file__ = str(WORKER_SCRIPT)
        module.__loader__ = loader
        sys.modules[name] = module
        loader.exec_module(module)
        module.main()
    except BaseException:  # noqa: BLE001 - the worker's end is its exit; the parent sees EOF
        pass
    finally:
        os._exit(0)


def _max_fd() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        soft = 1024
    return soft if 0 < soft < 1 << 20 else 1 << 16


class _ForkedWorker:
    """A forked worker's handle: the part of ``subprocess.Popen`` that ``Sandbox`` uses."""

    def __init__(self, pid: int, stdin: Any, stdout: Any) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.0005
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0.0)
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


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


def _read_frame(fd: int, deadline: float) -> bytes | None:
    """One frame from the worker; None at its end, past the deadline, or when oversized."""
    try:
        return framing.read_frame(fd, deadline, limit=_MAX_ANSWER)
    except framing.FrameError:
        return None


def _read_answer(fd: int, deadline: float) -> tuple[bytes, list[bytes]] | str | None:
    """The header frame and the case frames; None if the worker ended or the deadline passed;
    a message (str) when what came cannot be an answer."""
    from tutor.grading import wire

    try:
        header = framing.read_frame(fd, deadline, limit=_MAX_ANSWER)
    except framing.FrameError as exc:
        return f"the grader's answer was malformed ({exc})"
    if header is None:
        return None
    try:
        count = wire.unpack(header)["n_cases"]
    except Exception:  # noqa: BLE001 - anything malformed
        return "the grader's answer could not be read"
    if type(count) is not int or not 0 <= count <= _MAX_CASES:
        return "the grader's answer named an impossible number of cases"
    cases = []
    for _ in range(count):
        try:
            frame = framing.read_frame(fd, deadline, limit=_MAX_ANSWER)
        except framing.FrameError as exc:
            return f"the grader's answer was malformed ({exc})"
        if frame is None:
            return None
        cases.append(frame)
    return header, cases


def _decode_hello(frame: bytes) -> dict[str, Any] | None:
    from tutor.grading import wire

    try:
        hello = wire.unpack(frame)
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(hello, dict) or type(hello.get("ready")) is not int:
        return None
    return _sandbox_field(hello.get("sandbox"))


def _sandbox_field(value: object) -> dict[str, Any]:
    """``{"mechanisms": [str], "missing": {str: str}, "landlock_abi": int}`` from what came."""
    if not isinstance(value, dict):
        return {"mechanisms": [], "missing": {}, "landlock_abi": 0}
    mechanisms = value.get("mechanisms")
    missing = value.get("missing")
    abi = value.get("landlock_abi")
    return {
        "mechanisms": [m for m in mechanisms if isinstance(m, str)] if isinstance(mechanisms, list) else [],
        "missing": {k: v for k, v in missing.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(missing, dict) else {},
        "landlock_abi": abi if type(abi) is int and 0 <= abi < 1000 else 0,
    }


def _decode_answer(header_bytes: bytes, case_frames: list[bytes]) -> RunResult:
    """The ``RunResult`` of a worker's answer; anything malformed (a forged or garbled field)
    becomes a failed, "crashed" result with a clear message, never an exception."""
    from tutor.grading import wire

    try:
        header = wire.unpack(header_bytes)
        if not isinstance(header, dict):
            raise TypeError("not a record")
        cases = tuple(_decode_case(index, frame) for index, frame in enumerate(case_frames))
        status = header.get("status")
        if status not in STATUSES:
            status = "crashed"
        extra = header.get("extra")
        seconds = header.get("seconds", 0.0)
        if type(seconds) not in (int, float) or not math.isfinite(seconds):
            seconds = 0.0
        return RunResult(
            status=status,
            cases=cases,
            message=_text(header.get("message")),
            traceback=_text(header.get("traceback")),
            output=_text(header.get("output")),
            seconds=float(seconds),
            extra=_plain(extra) if isinstance(extra, dict) else {},
            sandbox=_sandbox_field(header.get("sandbox")),
        )
    except Exception as exc:  # noqa: BLE001 - never a traceback for what came from the worker
        return _worker_lost(0.0, f"the grader received results it could not read ({type(exc).__name__})")


def _plain(extra: dict) -> dict[str, Any]:
    """The diagnostics, keeping only string keys with small plain values."""
    return {
        k: v for k, v in extra.items()
        if isinstance(k, str) and (type(v) in (bool, str) or (type(v) is int and abs(v) < 2**63))
    }


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
        if not all(isinstance(key, str) for key in outputs):
            raise TypeError("bad output names")
        error = record["error"]
        if error is not None:
            kind, message, tb, op_index = error
            error = ErrorInfo(
                _text(kind), _text(message), _text(tb), op_index if type(op_index) is int else None
            )
        mutated = []
        for pair in record["mutated"]:
            position, arg = pair
            if type(position) is not int or not isinstance(arg, str):
                raise TypeError("bad mutation record")
            mutated.append((position, arg))
        return CaseRun(name, outputs, error, tuple(mutated), _trace(record.get("trace")))
    except Exception as exc:  # noqa: BLE001 - forged data: an error record with a clear message
        problem = ErrorInfo(
            "GradingError", f"the results of case {index + 1} could not be read ({type(exc).__name__}): "
            "they were not sent by the grader"
        )
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


def _worker_lost(seconds: float, why: str = "") -> RunResult:
    return RunResult(
        status="crashed",
        cases=(),
        message=why or "the grading process stopped unexpectedly while running your code; check again",
        traceback="",
        output="",
        seconds=seconds,
    )
