"""The hostile suite: submissions that try to crash, hang, flood, cheat or escape the sandbox.

Each must end in a failing result with a clear reason, within the time limit plus 2 s, and leave no
process behind. A result "passes" here only if the run was "ok" and every output equals the
reference's, computed in this (trusted) process, exactly as a grader would.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tutor.grading.program import run_cases
from tutor.grading.sandbox import RunRequest, RunResult, Sandbox, Unsupported

FILE = "/home/learner/workspace/momentum.py"
LIMIT = 1.0
MEMORY_MB = 200

REFERENCE = """\
def momentum_update(w, dw, v, beta=0.9, lr=0.1):
    v = beta * v + (1 - beta) * dw
    return w - lr * v, v
"""

GOOD = """\
import numpy as np

def momentum_update(w, dw, v, beta=0.9, lr=0.1):
    v = beta * v + (1 - beta) * dw
    return w - lr * v, v
"""


def make_cases() -> tuple[dict, ...]:
    rng = np.random.default_rng(3)
    cases = []
    for i, shape in enumerate([(3,), (2, 3), (2, 1, 2, 2)]):
        kwargs = {"w": rng.normal(size=shape), "dw": rng.normal(size=shape), "v": rng.normal(size=shape), "beta": 0.8}
        cases.append({"name": f"case {i}", "ops": [{"op": "call", "fn": "momentum_update", "kwargs": kwargs, "out": "result"}]})
    return tuple(cases)


CASES = make_cases()


def expected() -> list[dict]:
    ns: dict = {}
    exec(REFERENCE, ns)
    return [outcome.outputs for outcome in run_cases(ns, CASES)]


def equal(got, want) -> bool:
    if isinstance(want, np.ndarray):
        return (
            isinstance(got, np.ndarray)
            and got.shape == want.shape
            and got.dtype.kind == "f"
            and bool(np.all(np.isfinite(got)))
            and np.allclose(got, want, rtol=1e-9, atol=0)
        )
    if isinstance(want, tuple):
        return isinstance(got, tuple) and len(got) == len(want) and all(equal(a, b) for a, b in zip(got, want))
    return False


def passes(result: RunResult) -> bool:
    """What a grader would decide, from decoded data only."""
    if result.status != "ok" or len(result.cases) != len(CASES):
        return False
    for case, want in zip(result.cases, expected()):
        if case.error is not None or case.mutated:
            return False
        if not equal(case.outputs.get("result"), want["result"]):
            return False
    return True


@dataclass(frozen=True)
class Hostile:
    name: str
    source: str
    status: str | tuple[str, ...]  # the RunResult status expected (or the statuses accepted)
    reason: str  # a phrase the message (or a case error) must contain


def fork_and_record(body: str) -> str:
    """A submission that starts processes and prints ``PID n`` for each (files cannot be written
    in the sandbox, printed output comes back)."""
    return GOOD + body


SUBMISSIONS = [
    Hostile("syntax error", GOOD + "\ndef broken(:\n    pass\n", "syntax_error", "line 7"),
    Hostile("missing function", "def momentum(w, dw, v):\n    return w, v\n", "missing_names", "momentum_update"),
    Hostile("wrong signature", "def momentum_update(w, dw):\n    return w, dw\n", "ok", "unexpected keyword argument"),
    Hostile("exception at import", GOOD + "x = 1 / 0\n", "import_error", "ZeroDivisionError"),
    Hostile("sys.exit at import", "import sys\nsys.exit(0)\n" + GOOD, "exited", "sys.exit(0)"),
    Hostile("sys.exit in a case", GOOD + "def momentum_update(*a, **k):\n    raise SystemExit(1)\n", "exited", "sys.exit"),
    Hostile("os._exit", "import os\nos._exit(7)\n", "exited", "exit code 7"),
    Hostile("segfault", "import ctypes\nctypes.string_at(0)\n" + GOOD, "crashed", "segmentation fault"),
    Hostile("KeyboardInterrupt", "raise KeyboardInterrupt\n", "import_error", "KeyboardInterrupt"),
    Hostile("fork at import", "import os\nos.fork()\n" + GOOD, "forked", "started"),
    Hostile("infinite loop", GOOD + "while True:\n    pass\n", "timeout", "timed out after 1 s"),
    Hostile("infinite loop in a case", "def momentum_update(**k):\n    while True:\n        pass\n", "timeout", "in case 'case 0'"),
    Hostile("sleep at import", "import time\ntime.sleep(60)\n" + GOOD, "timeout", "timed out after 1 s"),
    Hostile("memory hog", "import numpy as np\nhog = np.ones((1 << 40,))\n" + GOOD, "memory", f"used more than {MEMORY_MB} MB"),
    Hostile("growing memory hog", "hog = []\nwhile True:\n    hog.append(bytearray(1 << 24))\n", "memory", f"used more than {MEMORY_MB} MB"),
    Hostile("output flood", "while True:\n    print('flood ' * 1000)\n", "timeout", "timed out"),
    Hostile(
        "printed fake results",
        "print('All 3 cases passed. PASSED')\nprint('{\"passed\": true, \"status\": \"ok\"}')\n"
        "def momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    print('PASSED')\n    return w, v\n",
        "ok", "",
    ),
    Hostile(
        "monkeypatched numpy comparisons",
        "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None\nnp.isclose = lambda a, b, **k: np.ones_like(a, dtype=bool)\n"
        "def momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    return w * 0, v * 0\n",
        "ok", "",
    ),
    Hostile("import tutor", "import tutor.core\n" + GOOD, "refused", "write this code yourself"),
    Hostile(
        "import tutor inside the function",
        "def momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    from tutor.core import momentum_update as ref\n"
        "    return ref(w, dw, v, beta=beta, lr=lr)\n",
        "ok", "write this code yourself",
    ),
    Hostile("returns None", "def momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    pass\n", "ok", ""),
    Hostile("returns NaN", "import numpy as np\ndef momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    return w * np.nan, v * np.nan\n", "ok", ""),
    Hostile(
        "returns object arrays",
        "import numpy as np\ndef momentum_update(w, dw, v, beta=0.9, lr=0.1):\n"
        "    return np.array([w, None], dtype=object), v\n",
        "ok", "",
    ),
    # signal 0 only asks "may I?": harmless even if the guard were missing, and refused by it
    Hostile("signals every process", "import os\nos.kill(-1, 0)\n" + GOOD, "import_error", "signal processes outside"),
    Hostile("signals another group", "import os\nos.killpg(1, 0)\n" + GOOD, "import_error", "signal processes outside"),
    Hostile("wrong arity", GOOD.replace("return w - lr * v, v", "return w - lr * v, v, 0"), "ok", ""),
    Hostile("mutates its inputs", "def momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    v *= beta\n    v += (1 - beta) * dw\n    w -= lr * v\n    return w, v\n", "ok", ""),
    Hostile("infinite recursion", "def momentum_update(w, dw, v, beta=0.9, lr=0.1):\n    return momentum_update(w, dw, v)\n", "ok", "RecursionError"),
    Hostile(
        "a fork that keeps running",
        fork_and_record(
            "import os\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    while True:\n"
            "        pass\n"
            "print(f'PID {pid}', flush=True)\n"
        ),
        "forked", "started 1 other process",
    ),
    Hostile(
        "a grandchild that calls setsid() and sleeps",
        fork_and_record(
            "import os, time\n"
            "child = os.fork()\n"
            "if child == 0:\n"
            "    os.setsid()\n"
            "    grandchild = os.fork()\n"
            "    if grandchild == 0:\n"
            "        os.setsid()\n"
            "        time.sleep(300)\n"
            "    print(f'PID {grandchild}', flush=True)\n"
            "    os._exit(0)\n"
            "os.waitpid(child, 0)\n"
        ),
        "forked", "started",
    ),
    Hostile(
        "a new program in its own session",
        fork_and_record(
            "import subprocess, sys\n"
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)\n"
            "print(f'PID {p.pid}', flush=True)\n"
        ),
        # with seccomp the new program is refused (execve); without, it runs and is stopped
        ("forked", "import_error"), "",
    ),
    Hostile(
        "a fork inside a timed-out case",
        "import os, time\ndef momentum_update(**k):\n    pid = os.fork()\n    if pid == 0:\n"
        "        os.setsid()\n    else:\n        print(f'PID {pid}', flush=True)\n"
        "    time.sleep(300)\n",
        "timeout", "timed out",
    ),
]


FORGE = """\
import os, stat, struct
def _results_fds():
    # /proc is out of reach in the sandbox: every regular file open but stdout/stderr will do
    for fd in range(3, 64):
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                yield fd
        except OSError:
            pass
def frame(kind, payload):
    return kind + struct.pack('<Q', len(payload)) + payload
def wire(tree):
    return b'TW1\\n' + struct.pack('<Q', len(tree)) + tree
INF_CASE = wire(b'["d",[[["s","name"],["s","case 0"]],[["s","outputs"],["d",[]]],[["s","error"],'
                b'["l",[["s","E"],["s","m"],["s",""],["f","inf"]]]],[["s","mutated"],["l",[["l",[["f","inf"],["s","w"]]]]]]]]')
INF_FINAL = wire(b'["d",[[["s","status"],["s","ok"]],[["s","message"],["s",""]],[["s","children"],["f","inf"]]]]')
for fd in _results_fds():
    os.write(fd, frame(b'C', b'not a wire message'))
    os.write(fd, frame(b'F', wire(b'{}')))
    os.write(fd, frame(b'C', wire(b'["s","x"]')))
    os.write(fd, frame(b'C', INF_CASE))
    os.write(fd, frame(b'F', INF_FINAL))
"""


def test_forged_result_frames_become_error_records_not_a_crash(sandbox):
    source = FORGE + GOOD
    result = sandbox.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert isinstance(result, RunResult) and not passes(result)
    assert any(case.error is not None for case in result.cases)


def descendants(root: int) -> list[int]:
    """Every process whose chain of parents leads to ``root`` (zombies included)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            children.setdefault(int(text[text.rfind(b")") + 2 :].split()[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for kid in children.get(todo.pop(), ()):
            found.append(kid)
            todo.append(kid)
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def printed_pids(result: RunResult) -> list[int]:
    return [int(line.split()[1]) for line in result.output.splitlines() if line.startswith("PID ") and line.split()[1].isdigit()]


def assert_nothing_left(box: Sandbox, result: RunResult, expect_pids: bool) -> None:
    recorded = printed_pids(result)
    if expect_pids and result.status == "forked":
        assert recorded, "the submission did not print the processes it started"
    if "pid_namespace" not in result.sandbox.get("mechanisms", ()):  # else they are pids in there
        for pid in recorded:
            assert not Path(f"/proc/{pid}").exists(), f"process {pid} started by the submission survived"
    worker = box.server_pid
    assert worker is not None
    # the worker keeps at most one spare child of its own, a plain copy of itself
    left = descendants(worker)
    assert len(left) <= 1, f"processes left under the worker: {left}"
    for pid in left:
        assert cmdline(pid) in (cmdline(worker), b""), f"unexpected process {pid}: {cmdline(pid)!r}"


def test_the_good_submission_passes(sandbox):
    result = sandbox.run(RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=LIMIT, memory_mb=MEMORY_MB))
    assert passes(result), result


@pytest.mark.parametrize("hostile", SUBMISSIONS, ids=[h.name for h in SUBMISSIONS])
def test_hostile_submission_fails_clearly_in_time_and_leaves_nothing(sandbox, hostile, tmp_path):
    source = hostile.source
    request = RunRequest(
        source, FILE, ("momentum_update",), CASES, time_limit=LIMIT, memory_mb=MEMORY_MB, output_limit=2000
    )
    started = time.monotonic()
    result = sandbox.run(request)
    elapsed = time.monotonic() - started
    assert elapsed <= LIMIT + 2.0, f"took {elapsed:.2f} s"
    statuses = (hostile.status,) if isinstance(hostile.status, str) else hostile.status
    assert result.status in statuses, (result.status, result.message)
    assert not passes(result)
    errors = " ".join(f"{c.error.type}: {c.error.message}" for c in result.cases if c.error)
    assert hostile.reason in result.message + " " + errors
    if result.status != "ok":
        assert result.message, "a failing run must say why"
    assert len(result.output) <= 2000 + 100
    assert_nothing_left(sandbox, result, expect_pids="PID {" in hostile.source)


def test_printed_output_is_kept_but_cannot_pass(sandbox):
    fake = next(h for h in SUBMISSIONS if h.name == "printed fake results")
    result = sandbox.run(RunRequest(fake.source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert "PASSED" in result.output and not passes(result)


def test_unsupported_outputs_arrive_as_markers(sandbox):
    objects = next(h for h in SUBMISSIONS if h.name == "returns object arrays")
    result = sandbox.run(RunRequest(objects.source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert isinstance(result.cases[0].outputs["result"][0], Unsupported)


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGSTOP"])
def test_signalling_the_worker_is_contained_and_the_next_run_works(sig):
    """The worker is PID 1 of the sandbox's namespace (signals from inside do not reach it), or
    out of the learner's reach (Landlock scoping, seccomp); were it hit, the run fails as
    "crashed" and a fresh worker takes the next one. Never a frozen check."""
    source = f"import os, signal\nos.kill(os.getppid(), signal.{sig})\n" + GOOD
    with Sandbox() as box:
        started = time.monotonic()
        result = box.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
        assert time.monotonic() - started <= LIMIT + 2.0
        assert result.status in ("ok", "crashed", "import_error"), result
        if result.status == "crashed":
            assert "stopped unexpectedly" in result.message
        assert passes(box.run(RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=LIMIT)))


@pytest.mark.parametrize("sig", ["SIGSTOP", "SIGKILL"])
def test_an_unconfined_worker_stopped_or_killed_never_freezes_the_check(monkeypatch, sig):
    """With every mechanism off, the learner's code can stop or kill its worker: the parent's own
    deadline (time limit + GRACE) ends the wait, the run is "crashed", the next run works."""
    from tutor.grading import sandbox as sandbox_module

    monkeypatch.setattr(sandbox_module, "GRACE", 1.0)
    source = f"import os, signal\nos.kill(os.getppid(), signal.{sig})\n" + GOOD
    with Sandbox(disable=("all",)) as box:
        started = time.monotonic()
        result = box.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
        assert time.monotonic() - started <= LIMIT + 1.0 + 2.0
        assert result.status == "crashed" and not passes(result)
        assert "stopped unexpectedly" in result.message
        assert passes(box.run(RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=LIMIT)))


def test_hostile_code_cannot_outlive_run_once():
    from tutor.grading.sandbox import run_once

    source = (
        "import os, time\n"
        "pid = os.fork()\nif pid == 0:\n    os.setsid()\n"
        "    signal = __import__('signal'); signal.signal(signal.SIGTERM, signal.SIG_IGN)\n    time.sleep(300)\n"
        "print(f'PID {pid}', flush=True)\n"
        + GOOD
    )
    before = set(descendants(os.getpid()))
    result = run_once(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert result.status == "forked"
    assert set(descendants(os.getpid())) <= before
    if "pid_namespace" not in result.sandbox["mechanisms"]:
        for pid in printed_pids(result):
            assert not Path(f"/proc/{pid}").exists()


def test_sigterm_is_not_needed_to_stop_a_child_that_ignores_it(sandbox):
    source = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)\n"
    result = sandbox.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=0.5))
    assert result.status == "timeout"
    assert result.extra.get("signal") == signal.SIGKILL.name


@pytest.mark.parametrize("copy", ["this package", "another copy"])
def test_reading_the_reference_from_disk_is_refused(sandbox, tmp_path, copy):
    """Reading a reference's source to exec it: refused for this installation and for any other
    copy of tutor on the disk (a checkout elsewhere), by the child's audit hook."""
    import tutor.core.optimizers as reference

    path = Path(reference.__file__)
    if copy == "another copy":
        other = tmp_path / "elsewhere" / "tutor" / "core" / "optimizers.py"
        other.parent.mkdir(parents=True)
        other.write_text(path.read_text())
        path = other
    source = f"SRC = open({str(path)!r}).read()\n" + GOOD
    result = sandbox.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert result.status == "import_error", (result.status, result.message)
    assert "off limits" in result.message + result.traceback
    assert not passes(result)


def test_a_fork_storm_is_capped_and_stopped(sandbox):
    """At most ``confine.EXTRA_PROCESSES`` more processes at once (each under the memory limit);
    root is exempt from the kernel's process limit, so there only the stopping is checked."""
    from tutor.grading.confine import EXTRA_PROCESSES

    source = (
        "import os, time\nstarted = 0\nfor _ in range(20):\n    try:\n        pid = os.fork()\n"
        "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(300)\n        os._exit(0)\n"
        "    started += 1\nprint('STARTED', started, flush=True)\n" + GOOD
    )
    result = sandbox.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert result.status == "forked" and not passes(result)
    started = int(result.output.split("STARTED")[1].split()[0])
    if os.geteuid() != 0 and "rlimits" in result.sandbox["mechanisms"]:
        assert 1 <= started <= EXTRA_PROCESSES
    assert len(descendants(sandbox.server_pid)) <= 1
