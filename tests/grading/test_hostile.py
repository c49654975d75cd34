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
    status: str  # the RunResult status expected
    reason: str  # a phrase the message (or a case error) must contain


def fork_and_record(body: str) -> str:
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
            "open(PIDS, 'a').write(f'{pid}\\n')\n"
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
            "    open(PIDS, 'a').write(f'{grandchild}\\n')\n"
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
            "open(PIDS, 'a').write(f'{p.pid}\\n')\n"
        ),
        "forked", "started",
    ),
    Hostile(
        "a fork inside a timed-out case",
        "import os, time\ndef momentum_update(**k):\n    pid = os.fork()\n    if pid == 0:\n"
        "        os.setsid()\n    else:\n        open(PIDS, 'a').write(f'{pid}\\n')\n"
        "    time.sleep(300)\n",
        "timeout", "timed out",
    ),
]


FORGE = """\
import os, struct, json
def _results_fd():
    for name in os.listdir('/proc/self/fd'):
        try:
            if 'tutor-results' in os.readlink(f'/proc/self/fd/{name}'):
                return int(name)
        except OSError:
            pass
fd = _results_fd()
def frame(kind, payload):
    return kind + struct.pack('<Q', len(payload)) + payload
os.write(fd, frame(b'C', b'not a wire message'))
os.write(fd, frame(b'F', b'TW1\\n' + struct.pack('<Q', 2) + b'{}'))
os.write(fd, frame(b'C', b'TW1\\n' + struct.pack('<Q', 10) + b'["s","x"]'))
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


def assert_nothing_left(box: Sandbox, pid_file: Path, expect_pids: bool) -> None:
    recorded = [int(line) for line in pid_file.read_text().split()] if pid_file.exists() else []
    if expect_pids:
        assert recorded, "the submission did not record the processes it started"
    for pid in recorded:
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} started by the submission survived"
    worker = box.worker_pid
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
    pid_file = tmp_path / "pids"
    source = f"PIDS = {str(pid_file)!r}\n" + hostile.source if "PIDS" in hostile.source else hostile.source
    request = RunRequest(
        source, FILE, ("momentum_update",), CASES, time_limit=LIMIT, memory_mb=MEMORY_MB, output_limit=2000
    )
    started = time.monotonic()
    result = sandbox.run(request)
    elapsed = time.monotonic() - started
    assert elapsed <= LIMIT + 2.0, f"took {elapsed:.2f} s"
    assert result.status == hostile.status, (result.status, result.message)
    assert not passes(result)
    errors = " ".join(f"{c.error.type}: {c.error.message}" for c in result.cases if c.error)
    assert hostile.reason in result.message + " " + errors
    if result.status != "ok":
        assert result.message, "a failing run must say why"
    assert len(result.output) <= 2000 + 100
    assert_nothing_left(sandbox, pid_file, expect_pids="PIDS" in hostile.source)


def test_printed_output_is_kept_but_cannot_pass(sandbox):
    fake = next(h for h in SUBMISSIONS if h.name == "printed fake results")
    result = sandbox.run(RunRequest(fake.source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert "PASSED" in result.output and not passes(result)


def test_unsupported_outputs_arrive_as_markers(sandbox):
    objects = next(h for h in SUBMISSIONS if h.name == "returns object arrays")
    result = sandbox.run(RunRequest(objects.source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert isinstance(result.cases[0].outputs["result"][0], Unsupported)


def test_killing_the_worker_fails_the_run_and_the_next_run_works():
    source = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + GOOD
    with Sandbox() as box:
        started = time.monotonic()
        result = box.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
        assert time.monotonic() - started <= LIMIT + 2.0
        assert result.status == "crashed" and "stopped unexpectedly" in result.message
        assert passes(box.run(RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=LIMIT)))


def test_hostile_code_cannot_outlive_run_once(tmp_path):
    from tutor.grading.sandbox import run_once

    pid_file = tmp_path / "pids"
    source = (
        f"PIDS = {str(pid_file)!r}\nimport os, time\n"
        "pid = os.fork()\nif pid == 0:\n    os.setsid()\n"
        "    signal = __import__('signal'); signal.signal(signal.SIGTERM, signal.SIG_IGN)\n    time.sleep(300)\n"
        "open(PIDS, 'a').write(f'{pid}\\n')\n"
        + GOOD
    )
    result = run_once(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    assert result.status == "forked"
    for pid in [int(line) for line in pid_file.read_text().split()]:
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
