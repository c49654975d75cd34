"""The sandbox worker: a long-lived process that forks one fresh, confined child per grading request.

Started by path (``python -I .../_worker_main.py``), never as ``-m tutor...``: it must not import the
``tutor`` package, so the children it forks do not hold the reference either. Three files, one job
each: this one (the worker loop and the child's run), ``confine.py`` (the kernel mechanisms that
confine the child) and ``framing.py`` (length-prefixed frames, shared with ``sandbox.py``). It loads
them and its ``HELPERS`` (``program.py``, ``wire.py``) by file path. At start it enters new
namespaces (user, PID, network, IPC, mount: ``confine.enter_namespaces``; with a PID namespace the
process the parent started forks, and the fork, PID 1 of the namespace, does the rest), imports
NumPy and ``numpy.random`` once, builds the Landlock ruleset, makes itself a child subreaper and
non-dumpable, and then serves requests read from stdin:

    parent -> worker   frame(wire.pack(meta: limits, case names)), frame(payload)
    worker -> parent   frame(wire.pack({"ready": pid, "sandbox": ...})) once, at start; then per
                       request frame(wire.pack(header dict)), then one frame per finished case
    worker -> child    frame(payload: program.pack_request of source, names, cases...), through a
                       pipe, to a spare child (pickle, one way only: the trusted side encodes, the
                       child decodes before any learner code runs, NumPy and the markers only)
                       forked, confined and warmed up ahead of the request
    child  -> worker   frame(wire.pack(confinement report)) on the "setup" pipe, before the request;
                       kind byte + frame, appended to a memfd: b"L" file loaded, b"C" one case,
                       b"F" the final word; then one byte on the "done" pipe

Case frames are relayed to the parent undecoded; the parent decodes them with ``wire.unpack``
(never unpickled), defensively.

The child: new session, stdout and stderr into a memfd (the first ``output_limit`` bytes are kept),
warm-up, then, before the request arrives, ``confine.confine_child`` (rlimits, no_new_privs,
non-dumpable, capabilities dropped, Landlock, seccomp); with the request, the limits of address
space, CPU and file size; ``import tutor`` refused, the file compiled with the learner's filename,
required names checked, case programs run and each result streamed as it finishes. The child is a
subreaper too and, at its end, says whether the learner's code started processes (left running, or
already reaped: ``RUSAGE_CHILDREN``). The worker enforces the wall-time limit; it kills the child's
process group and every other descendant (all are reparented to the worker, the subreaper, even
after ``setsid()``; in a PID namespace, ``kill(-1)`` from PID 1 reaches exactly them) and reaps them
before it answers, or, when the child finished cleanly and left nothing, just after. It never reads
the next request before everything of the last one is gone.
"""

from __future__ import annotations

import gc
import importlib.machinery
import linecache
import math
import os
import resource
import select
import signal
import sys
import time
import types

HERE = os.path.dirname(os.path.realpath(__file__))


def _load(name: str, filename: str) -> types.ModuleType:
    """Load a sibling file as module ``name`` (without ``importlib.util``, which costs an import
    of ``pathlib`` and more at every worker start)."""
    path = os.path.join(HERE, filename)
    loader = importlib.machinery.SourceFileLoader(name, path)
    module = types.ModuleType(name)
    module.__file__ = path
    module.__loader__ = loader
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader, origin=path)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


framing = _load("_tutor_sandbox_framing", "framing.py")
confine = _load("_tutor_sandbox_confine", "confine.py")

DISABLED: frozenset = frozenset()
NAMESPACES: tuple[list, dict] = ([], {})
#: the module's name when ``sandbox._fork_worker`` runs it in a fork of the parent (``tutor check``)
FORKED = "_tutor_sandbox_worker"
if __name__ in ("__main__", FORKED):  # the namespaces first: unshare needs a single-threaded process
    DISABLED = confine.disabled_from_env()
    NAMESPACES = confine.enter_namespaces(DISABLED)

#: ``--once`` (``Sandbox(once=True)``, for ``tutor check``): one request, then exit. Such a worker
#: skips what only pays off over many children (``numpy.random``, which a child that needs it then
#: imports itself; ``gc.freeze``), so that it is ready sooner.
ONCE = "--once" in sys.argv[1:]

import numpy as np  # noqa: E402

if not ONCE:
    import numpy.random  # noqa: E402,F401 - imported once here, so no child pays for it

#: the helper files the child uses, loaded by file path here, before any confinement (they import
#: only the standard library and NumPy); add a line to give the child another one
HELPERS = {
    "program": "program.py",
    "wire": "wire.py",
    "trace": "trace.py",  # the quantities diagnosis (issue 14)
}
_HELPERS = {name: _load(f"_tutor_sandbox_{name}", filename) for name, filename in HELPERS.items()}
program = _HELPERS["program"]
wire = _HELPERS["wire"]
trace = _HELPERS["trace"]

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
MAX_FROM_CHILD = 64 * 1024 * 1024  # bytes of results a child may send back
MAX_REQUEST = 256 * 1024 * 1024  # bytes of a request the worker accepts
EXIT_TOO_MUCH = 71  # the child's exit code when its results do not fit
FSIZE_LIMIT = MAX_FROM_CHILD + 1  # largest file the child may write (its results file included)
SETUP_TIMEOUT = 30.0  # seconds a spare child may take to confine itself
REFUSED = (
    "`import tutor` is not available while your code is checked: the exercise is to write this "
    "code yourself, not to borrow the reference. Use NumPy (`import numpy as np`)."
)
_prctl = confine._prctl
_write_all = framing.write_all
_frame = framing.frame
_split = framing.split_kinded
#: what the worker set up for its children (``main`` fills it in)
PLAN = confine.Plan(DISABLED, *NAMESPACES)


def _read_frame(fd: int) -> bytes | None:
    try:
        return framing.read_frame(fd, limit=MAX_REQUEST)
    except framing.FrameError:
        return None


# --- the worker -------------------------------------------------------------------------------


def main() -> None:
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # a stray print must not corrupt the protocol
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    if "non_dumpable" not in DISABLED:
        confine.set_non_dumpable()
    PLAN.prepare_landlock(os.path.dirname(np.__file__), os.path.dirname(HERE))
    if not ONCE:
        gc.collect()
        gc.freeze()  # children then copy fewer pages on write
    protocol_fds = (proto_in, proto_out)
    spare = Spare(protocol_fds)
    hello = {
        "ready": os.getpid(),
        "sandbox": {"mechanisms": PLAN.in_force_at_start(), "missing": PLAN.missing, "landlock_abi": PLAN.landlock_abi},
    }
    _write_all(proto_out, _frame(wire.pack(hello)))
    while True:
        meta_raw = _read_frame(proto_in)
        payload = _read_frame(proto_in) if meta_raw is not None else None
        if payload is None:
            spare.discard()
            return
        try:
            meta = wire.unpack(meta_raw)
            float(meta["time_limit"]), int(meta["output_limit"]), list(meta["case_names"])
        except Exception:  # noqa: BLE001 - not a request of ours: stop
            spare.discard()
            return
        header, cases = spare.serve(meta, payload)
        if header.get("spare_lost"):  # the spare died before it got the request: once more
            spare.cleanup()
            spare = Spare(protocol_fds)
            header, cases = spare.serve(meta, payload)
        if header.get("spare_lost"):
            header = {
                "status": "crashed",
                "message": "the grader could not start a process to run your code",
                "traceback": "",
                "output": "",
                "seconds": 0.0,
                "extra": {},
                "sandbox": {"mechanisms": [], "missing": {}},
            }
        header["n_cases"] = len(cases)
        out = [_frame(wire.pack(header))] + [_frame(case) for case in cases]
        _write_all(proto_out, b"".join(out))
        spare.cleanup()  # kill and reap whatever is left, while the parent reads the answer
        if ONCE or _hung_up(proto_in):  # the parent is done (e.g. `tutor check`): no spare to fork
            return
        spare = Spare(protocol_fds)  # then fork and warm up the next child


def _hung_up(fd: int) -> bool:
    """Whether the parent closed its end with no request pending."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    events = dict(poller.poll(0)).get(fd, 0)
    return bool(events & select.POLLHUP) and not events & select.POLLIN


class Spare:
    """A fresh child forked ahead of the request: it sets itself up and warms up (faulting in the
    pages a run touches) while nothing waits for it, then runs exactly one request.

    The child appends its frames to a memfd (no pipe to fill, no wake-up per case), so the cases
    that finished before a timeout or a crash are kept. When it has written its final frame it
    writes one byte to the ``done`` pipe: the worker answers at once, and kills and reaps the child
    and anything it left afterwards (``cleanup``), while the parent reads the answer; the exit of
    a forked NumPy process (unmapping its pages) costs milliseconds nobody needs to wait for."""

    def __init__(self, protocol_fds: tuple[int, int]) -> None:
        self.output_fd = os.memfd_create("tutor-output", 0)
        self.results_fd = os.memfd_create("tutor-results", 0)
        request_read, self.request_fd = os.pipe()
        self.done_fd, done_write = os.pipe()
        self.setup_fd, setup_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(self.request_fd)
                os.close(self.done_fd)
                os.close(self.setup_fd)
                child_main(request_read, self.results_fd, self.output_fd, done_write, protocol_fds, setup_write)
            finally:
                os._exit(70)
        self.pid = pid
        self.reaped = False
        os.close(request_read)
        os.close(done_write)
        os.close(setup_write)

    def discard(self) -> None:
        _kill(self.pid)
        self.cleanup()

    def cleanup(self) -> int:
        """Kill the child's group and the child, reap it and every other descendant; close the
        files. Returns how many other processes there were."""
        if not self.reaped:
            _kill(-self.pid)
            _kill(self.pid)
            os.waitpid(self.pid, 0)
            self.reaped = True
        for fd in (self.request_fd, self.results_fd, self.output_fd, self.done_fd, self.setup_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.request_fd = self.results_fd = self.output_fd = self.done_fd = self.setup_fd = -1
        return _reap_descendants()

    def serve(self, meta: dict, payload: bytes) -> tuple[dict, list[bytes]]:
        """Give the request to the child and wait for its final word (or its end, or the
        deadline); the answer's header and the case frames. Call ``cleanup`` afterwards."""
        time_limit = float(meta["time_limit"])
        report = self.setup_report()
        if report is None:  # the spare died (or hangs) before it was confined
            return {"spare_lost": True}, []
        start = time.monotonic()
        try:
            _write_all(self.request_fd, _frame(payload))
        except OSError:
            return {"spare_lost": True}, []
        os.close(self.request_fd)
        self.request_fd = -1
        outcome, status = _wait_done(self.pid, self.done_fd, start + time_limit)
        if outcome == "done":
            frames, too_much = _read_results(self.results_fd)
            final = _final(frames)
            if final is not None and not too_much and not final.get("children"):
                # nothing left but the child, which is exiting: answer now, reap it afterwards
                header = _verdict(meta, frames, final, None, False, False, time.monotonic() - start, 0)
                header["output"] = _read_output(self.output_fd, int(meta["output_limit"]))
                header["sandbox"] = report
                return header, [payload for kind, payload in frames if kind == b"C"]
        if outcome != "exited":  # still running: timed out, left processes, or no final word
            _kill(-self.pid)
            _kill(self.pid)
            status = os.waitpid(self.pid, 0)[1]
        self.reaped = True
        seconds = time.monotonic() - start
        frames, too_much = _read_results(self.results_fd)
        output = _read_output(self.output_fd, int(meta["output_limit"]))
        others = self.cleanup()
        header = _verdict(
            meta, frames, _final(frames), status, outcome == "timeout", too_much, seconds, others
        )
        header["output"] = output
        header["sandbox"] = report
        return header, [payload for kind, payload in frames if kind == b"C"]

    def setup_report(self) -> dict | None:
        """What the child confined itself with (read once; None if it died or hangs first)."""
        if self.setup_fd < 0:
            return getattr(self, "_report", None)
        try:
            raw = framing.read_frame(self.setup_fd, time.monotonic() + SETUP_TIMEOUT, limit=1 << 16)
            report = wire.unpack(raw) if raw is not None else None
        except Exception:  # noqa: BLE001 - a broken report is no report
            report = None
        os.close(self.setup_fd)
        self.setup_fd = -1
        self._report = report if isinstance(report, dict) else None
        return self._report


def _wait_done(pid: int, done_fd: int, deadline: float) -> tuple[str, int | None]:
    """Wait for the child's "done" byte, its exit, or the deadline:
    ("done", None), ("exited", wait status) or ("timeout", None)."""
    poller = select.poll()
    poller.register(done_fd, select.POLLIN)
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # Linux < 5.3: poll for the exit as well
        pidfd = -1
    else:
        poller.register(pidfd, select.POLLIN)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout", None
            wait_ms = max(1, math.ceil(remaining * 1000))
            ready = dict(poller.poll(wait_ms if pidfd >= 0 else min(wait_ms, 2)))
            if done_fd in ready:
                if os.read(done_fd, 1):
                    return "done", None
                poller.unregister(done_fd)  # closed without a word: the child is ending
            if pidfd >= 0 and pidfd not in ready:
                continue
            reaped, status = os.waitpid(pid, os.WNOHANG if pidfd < 0 else 0)
            if reaped:
                return "exited", status
    finally:
        if pidfd >= 0:
            os.close(pidfd)


def _final(frames: list[tuple[bytes, bytes]]) -> dict | None:
    """The child's final word: the last well-formed one (ours is written last)."""
    for kind, payload in reversed(frames):
        if kind == b"F":
            try:
                final = wire.unpack(payload)
            except wire.WireError:
                continue
            if isinstance(final, dict) and isinstance(final.get("status"), str):
                return final
    return None


def _wait(pid: int, deadline: float) -> int | None:
    """Wait for the child to exit and reap it; its wait status, or None if the deadline passed."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # Linux < 5.3: poll for the exit instead
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            time.sleep(0.0005)
        return None
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if poller.poll(max(1, math.ceil(remaining * 1000))):
                return os.waitpid(pid, 0)[1]
    finally:
        os.close(pidfd)


def _read_results(fd: int) -> tuple[list[tuple[bytes, bytes]], bool]:
    """The frames the child wrote into its results file, and whether it wrote too much."""
    size = os.fstat(fd).st_size
    data = os.pread(fd, min(size, MAX_FROM_CHILD), 0)
    return _split(data), size > MAX_FROM_CHILD


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _descendants(root: int) -> list[int]:
    """Every process whose chain of parents leads to ``root`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                text = stat.read()
        except OSError:
            continue
        fields = text[text.rfind(b")") + 2 :].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for kid in children.get(todo.pop(), ()):
            found.append(kid)
            todo.append(kid)
    return found


def _reap_descendants() -> int:
    """Kill and reap every process left under the worker; return how many there were.

    Orphans of the child are reparented to the worker (a subreaper), so once the child is gone,
    having no child at all means nothing is left."""
    me, seen = os.getpid(), set()
    deadline = time.monotonic() + 5.0
    in_pid_namespace = me == 1 and "pid_namespace" in PLAN.namespaces
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return len(seen)
        if pid:
            seen.add(pid)
            continue
        if in_pid_namespace:  # everything in the namespace but this process is the learner's
            pids = [] if _only_me() else [-1]
            if pids:
                _kill(-1)
        else:
            pids = _descendants(me)
            seen.update(pids)
            for pid in pids:
                _kill(pid)
        if time.monotonic() > deadline:
            return len(seen)
        if pids:
            try:
                pid, _ = os.waitpid(-1, 0)
                seen.add(pid)
            except ChildProcessError:
                return len(seen)
        else:
            time.sleep(0.001)


def _only_me() -> bool:
    """In a PID namespace, as its PID 1: whether no other process is left in it."""
    try:
        os.kill(-1, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _read_output(memfd: int, limit: int) -> str:
    size = os.fstat(memfd).st_size
    text = os.pread(memfd, limit, 0).decode("utf-8", errors="replace")
    if size > limit:
        text += f"\n[... output trimmed: only the first {limit} bytes are shown]"
    return text


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


_CRASH = {
    signal.SIGSEGV: "a segmentation fault (invalid memory access)",
    signal.SIGBUS: "a bus error (invalid memory access)",
    signal.SIGABRT: "an abort",
    signal.SIGFPE: "a floating-point exception",
    signal.SIGILL: "an illegal instruction",
}


def _verdict(
    request: dict,  # the request's meta: time_limit, case_names
    frames: list[tuple[bytes, bytes]],
    final: dict | None,
    status: int | None,  # the wait status, None when the child answered before its exit
    timed_out: bool,
    too_much: bool,
    seconds: float,
    others: int,
) -> dict:
    limit = request["time_limit"]
    names = request["case_names"]
    done = sum(1 for kind, _ in frames if kind == b"C")
    loaded = any(kind == b"L" for kind, _ in frames)
    where = (
        f"in case {names[done]!r}" if loaded and done < len(names) else "while loading your file"
    )
    extra: dict = {"cases_done": done}
    if status is not None and os.WIFSIGNALED(status):
        extra["signal"] = _signal_name(os.WTERMSIG(status))
    elif status is not None and os.WIFEXITED(status):
        extra["exit_code"] = os.WEXITSTATUS(status)
    if final is not None and type(final.get("children")) is int and final["children"] > 0:
        others = max(others, final["children"])
    if others:
        extra["other_processes"] = others
    header = {"status": "ok", "message": "", "traceback": "", "seconds": seconds, "extra": extra}
    if timed_out:
        header.update(status="timeout", message=f"timed out after {limit:g} s {where}")
    elif too_much or (
        final is None and status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_TOO_MUCH
    ):
        header.update(
            status="memory",
            message=f"returned more than {MAX_FROM_CHILD // 2**20} MB of results {where}",
        )
    elif final is not None:
        header.update(
            status=final["status"],
            message=str(final.get("message", "")),
            traceback=str(final.get("traceback", "")),
        )
    elif status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGXCPU, signal.SIGKILL) and _cpu_exhausted(seconds, limit):
            header.update(status="timeout", message=f"used more than {limit:g} s of CPU time {where}")
        else:
            what = _CRASH.get(sig, f"signal {_signal_name(sig)}")
            header.update(status="crashed", message=f"the process crashed with {what} {where}")
    else:
        code = os.WEXITSTATUS(status) if status is not None else -1
        header.update(
            status="exited",
            message=f"your code ended the process (exit code {code}, e.g. os._exit) {where}",
        )
    if header["status"] == "ok" and others:
        header.update(
            status="forked",
            message=(
                f"your code started {others} other process{'es' if others > 1 else ''} "
                "(e.g. os.fork); they were stopped. A checked function must not start processes."
            ),
        )
    return header


def _cpu_exhausted(seconds: float, limit: float) -> bool:
    return seconds >= max(1.0, math.ceil(limit)) * 0.9


# --- the child --------------------------------------------------------------------------------


class _RefuseTutor:
    """Refuses ``import tutor`` and its submodules with a message that says why (a meta path
    finder; not derived from ``importlib.abc``, whose import costs more than NumPy's own)."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib protocol
        if fullname == "tutor" or fullname.startswith("tutor."):
            error = ImportError(REFUSED, name=fullname)
            error.tutor_refused = True  # type: ignore[attr-defined]
            raise error
        return None


class _CappedWriter:
    """A text stream that writes to ``fd`` until ``limit`` bytes, then silently drops the rest."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, fd: int, limit: int) -> None:
        self.fd = fd
        self.room = limit + 1  # one byte more tells the worker the output was cut
        self.buffer = _CappedBytes(self)

    def write(self, text: str) -> int:
        if self.room > 0:
            self.write_bytes(str(text).encode("utf-8", errors="replace"))
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        if self.room > 0:
            data = bytes(data[: self.room])
            self.room -= len(data)
            try:
                _write_all(self.fd, data)
            except OSError:
                self.room = 0

    def writelines(self, lines) -> None:  # noqa: ANN001 - io protocol
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.fd

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False


class _CappedBytes:
    """``sys.stdout.buffer`` of a ``_CappedWriter``: bytes, same budget."""

    def __init__(self, text: _CappedWriter) -> None:
        self.text = text

    def write(self, data: bytes) -> int:
        self.text.write_bytes(memoryview(data).tobytes())
        return len(data)

    def flush(self) -> None:
        pass


def _children_left() -> int:
    """How many processes the learner's code started: reaped zombies plus one if any still run,
    and at least one if any ran and was already waited for (``os.system``, ``subprocess.run``):
    those leave their usage in ``RUSAGE_CHILDREN``, which starts at zero in a fresh fork.

    The child is a subreaper, so every live descendant is its child or below one."""
    count = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            count += 1
            break
        count += 1
    if count == 0:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        if used.ru_minflt or used.ru_majflt or used.ru_utime or used.ru_stime or used.ru_nvcsw or used.ru_nivcsw:
            count = 1
    return count


def _vm_bytes(status_fd: int) -> int:
    """This process's address space, from its ``/proc/self/status`` opened before confinement."""
    for line in os.pread(status_fd, 1 << 16, 0).splitlines():
        if line.startswith(b"VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _limit(which: int, value: int) -> None:
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and value > hard:
            resource.setrlimit(which, (hard, hard))


def _refuse_reading_tutor() -> None:
    """An audit hook: the learner's code may not open files of the tutor package or its lessons,
    this installation's or any other copy's (paths through ``tutor/core/``, ``tutor/grading/`` ...).

    ``import tutor`` is refused by the meta-path finder; this closes the other door, reading the
    reference's source from disk and executing it. Audit hooks cannot be removed once added."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    roots = tuple(p + os.sep for p in (package, os.path.join(os.path.dirname(package), "lessons")))
    # any other copy of tutor on the disk (a source checkout, another environment's install)
    parts = ("core", "exercises", "grading", "course", "lessons")
    markers = tuple(f"{os.sep}tutor{os.sep}{part}{os.sep}" for part in parts)

    def hook(event: str, args: tuple) -> None:
        if event not in ("open", "os.listdir", "os.scandir") or not args:
            return
        target = args[0]
        if isinstance(target, int) or target is None:
            return
        try:
            path = os.path.realpath(os.fsdecode(target))
        except (TypeError, ValueError):
            return
        if (path + os.sep).startswith(roots) or any(m in path + os.sep for m in markers):
            raise PermissionError(
                f"{path}: the grader's own files are off limits; the exercise is to write this code"
            )

    sys.addaudithook(hook)


def _guard_signals(me: int) -> None:
    """Refuse, from Python, signals aimed at every process (``kill(-1, …)``) or at another group.

    A partial guard: the worker kills every descendant anyway, but as root ``kill(-1)`` would reach
    processes outside the sandbox (the grader's own parent), so the plain Python spellings of it are
    refused with a clear error. Code that reaches ``kill`` another way (ctypes, a shell) is not stopped
    here; a PID namespace would be the complete answer."""
    real_kill, real_killpg = os.kill, os.killpg

    def kill(pid: int, sig: int) -> None:
        if pid == -1 or (pid < -1 and -pid != me):
            raise PermissionError("the grader does not let your code signal processes outside its own")
        real_kill(pid, sig)

    def killpg(pgid: int, sig: int) -> None:
        if pgid not in (0, me):
            raise PermissionError("the grader does not let your code signal processes outside its own")
        real_killpg(pgid, sig)

    os.kill, os.killpg = kill, killpg


def child_main(
    request_fd: int, out_fd: int, memfd: int, done_fd: int, protocol_fds: tuple[int, int], setup_fd: int
) -> None:
    """Everything the forked child does; always ends in ``os._exit``.

    Before the request: a new session, die with the worker, output into the memfd, warm up, then
    confine itself for good (``confine.confine_child``) and report how on ``setup_fd``. After it:
    the request's limits (CPU relative to what the warm-up used), then the learner's code."""
    me = os.getpid()
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # orphans of the learner's processes come to this child first, so at the end it can tell
    # whether any are left (the worker, the next subreaper up, kills them all anyway)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a flood gets an error, not a silent death
    for fd in protocol_fds:
        os.close(fd)
    os.dup2(memfd, 1)
    os.dup2(memfd, 2)
    os.close(memfd)
    _warm_up()
    status_fd = os.open("/proc/self/status", os.O_RDONLY | os.O_CLOEXEC)  # /proc is out of reach next
    report = confine.confine_child(PLAN, me)
    try:
        _write_all(setup_fd, _frame(wire.pack(report)))
    except OSError:
        os._exit(0)
    os.close(setup_fd)
    # what does not depend on the request is done while the child waits for it
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_FSIZE, FSIZE_LIMIT)
    sys.meta_path.insert(0, _RefuseTutor())
    _guard_signals(me)
    _refuse_reading_tutor()
    for name in [n for n in sys.modules if n == "tutor" or n.startswith("tutor.")]:
        del sys.modules[name]
    raw = _read_frame(request_fd)
    if raw is None:
        os._exit(0)
    os.close(request_fd)
    request = program.unpack_request(raw)  # a grader bug if it fails: the run is "crashed"
    time_limit = float(request["time_limit"])
    memory = int(request["memory_mb"]) * 2**20
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_used = math.ceil(used.ru_utime + used.ru_stime)
    _limit(resource.RLIMIT_CPU, cpu_used + max(1, math.ceil(time_limit)) + 1)
    _limit(resource.RLIMIT_AS, _vm_bytes(status_fd) + memory)
    os.close(status_fd)
    writer = _CappedWriter(1, int(request["output_limit"]))
    sys.stdout = sys.stderr = writer
    filename = str(request["filename"])
    sys.argv = [filename]

    def send(kind: bytes, value: object) -> None:
        if os.getpid() != me:  # a fork of the learner's code came back here: stop it
            os._exit(0)
        payload = wire.pack(value)
        try:
            _write_all(out_fd, framing.kinded(kind, payload))
        except OSError:  # the results file reached its size limit
            os._exit(EXIT_TOO_MUCH)

    def finish(status: str, message: str = "", tb: str = "") -> None:
        if os.getpid() != me:
            os._exit(0)
        final = {"status": status, "message": message, "traceback": tb, "children": _children_left()}
        send(b"F", final)
        try:
            os.write(done_fd, b"!")
        except OSError:
            pass
        os._exit(0)

    names = tuple(request["names"])
    namespace = _load_learner(request, filename, finish, me)
    missing = [name for name in names if name not in namespace]
    if missing:
        listed = ", ".join(missing)
        finish("missing_names", f"your file does not define {listed}")
    not_callable = [name for name in names if not callable(namespace[name])]
    if not_callable:
        listed = ", ".join(not_callable)
        finish("missing_names", f"{listed} should be a function or a class, not a value")
    send(b"L", None)
    memory_mb = int(request["memory_mb"])
    exited = memory_hit = None
    tracer = trace.Tracer(filename, globals=namespace) if request.get("trace") else None
    for case in request["cases"]:
        try:
            outcome = program.run_case(
                namespace, case, filename=filename, catch=(BaseException,), tracer=tracer
            )
        except program.ProgramError as exc:
            finish("crashed", f"internal error in the grader's case program: {exc}")
        error = outcome.error
        if error is not None and error.type == "SystemExit" and exited is None:
            exited = f"your code called sys.exit() in case {outcome.name!r}"
        if error is not None and error.type == "MemoryError" and memory_hit is None:
            memory_hit = f"used more than {memory_mb} MB in case {outcome.name!r}"
            error = program.ErrorInfo("MemoryError", memory_hit, error.traceback, error.op_index)
        record = {
            "name": outcome.name,
            "outputs": outcome.outputs,
            "error": None if error is None else [error.type, error.message, error.traceback, error.op_index],
            "mutated": [list(pair) for pair in outcome.mutated],
            "trace": trace.compact(outcome.trace) if outcome.trace else [],
        }
        try:
            send(b"C", record)
        except MemoryError:
            record["outputs"], record["trace"] = {}, []
            record["error"] = ["MemoryError", f"used more than {memory_mb} MB", "", None]
            send(b"C", record)
        except Exception as exc:  # noqa: BLE001 - a value the encoder could not take
            record["outputs"], record["trace"] = {}, []
            record["error"] = ["GradingError", f"what your code returned could not be sent back: {exc}", "", None]
            send(b"C", record)
    if memory_hit:
        finish("memory", memory_hit)
    if exited:
        finish("exited", exited)
    finish("ok")


_WARM_SOURCE = """
import numpy as np

def f(w, dw, v, s, t, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    v_hat, s_hat = v / (1 - beta1 ** t), s / (1 - beta2 ** t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s
"""


def _warm_up() -> None:
    """Run a small program through the same path as a request, so the pages it touches are
    copied now, before any request waits (each first write to a page after fork is a fault)."""
    namespace: dict = {"__name__": "_warm_up"}
    exec(compile(_WARM_SOURCE, "<warm-up>", "exec"), namespace)
    x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    case = {"name": "warm", "ops": [{"op": "call", "fn": "f", "out": "r",
            "kwargs": {"w": x, "dw": x * 0.1, "v": x * 0.0, "s": x * x, "t": 2}}]}
    case = program.unpack_request(program.pack_request({"cases": [case]}))["cases"][0]
    # traced, as a request with quantities is: the tracer's pages are faulted in now too
    outcome = program.run_case(namespace, case, filename="<warm-up>", tracer=trace.Tracer("<warm-up>", globals=namespace))
    wire.pack({"name": outcome.name, "outputs": outcome.outputs, "error": None, "mutated": [],
               "trace": trace.compact(outcome.trace)})


def _load_learner(request: dict, filename: str, finish, me: int) -> dict:  # noqa: ANN001
    """Compile and run the learner's file; on failure call ``finish`` (which never returns)."""
    source = str(request["source"])
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = f" at line {exc.lineno}" if exc.lineno else ""
        text = program.cut_traceback(exc, filename)
        finish("syntax_error", f"{type(exc).__name__}{line}: {exc.msg}", text)
    except (ValueError, TypeError) as exc:  # e.g. null bytes in the source
        finish("syntax_error", f"SyntaxError: {exc}")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    stem = os.path.splitext(os.path.basename(filename))[0]  # "adam" for adam.py, unless that
    # name would hide a real module
    module = types.ModuleType(stem if stem.isidentifier() and stem not in sys.modules else "learner")
    module.__file__ = filename
    sys.modules[module.__name__] = module
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        if os.getpid() != me:
            os._exit(0)
        finish("exited", f"your file called sys.exit({exc.code!r}) while loading")
    except MemoryError:
        if os.getpid() != me:
            os._exit(0)
        finish("memory", f"used more than {request['memory_mb']} MB while loading your file")
    except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything
        if os.getpid() != me:
            os._exit(0)
        info = program.error_info(exc, filename)
        if getattr(exc, "tutor_refused", False):
            finish("refused", REFUSED, info.traceback)
        line = _learner_line(exc, filename)
        finish("import_error", f"{info.one_line()} while loading your file{line}", info.traceback)
    if os.getpid() != me:
        os._exit(0)
    return module.__dict__


def _learner_line(exc: BaseException, filename: str) -> str:
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f" (line {line})" if line else ""


if __name__ == "__main__":
    main()
    # nothing is left to flush (the protocol is written with os.write) and every child is reaped:
    # skip the interpreter's teardown (NumPy's alone is ~15 ms, which `tutor check` would wait for)
    os._exit(0)
