"""The sandbox on well-behaved code: results come back as data, faithfully, in a fresh child."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import numpy as np
import pytest

from tutor.grading.program import Ref, Rng, run_cases
from tutor.grading.sandbox import RunRequest, RunResult, Sandbox, Unsupported, run_once
from tutor.grading.wire import roundtrip


FILE = "/home/learner/workspace/adam.py"


def process_alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()

ADAM = """\
import numpy as np

def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    v = beta1 * v + (1 - beta1) * dw
    s = beta2 * s + (1 - beta2) * dw ** 2
    v_hat = v / (1 - beta1 ** t)
    s_hat = s / (1 - beta2 ** t)
    return w - lr * v_hat / (np.sqrt(s_hat) + eps), v, s
"""


def adam_cases(n: int = 4) -> tuple[dict, ...]:
    rng = np.random.default_rng(1)
    cases = []
    for i in range(n):
        shape = (3, 2) if i % 2 else (4,)
        kwargs = {
            "w": rng.normal(size=shape), "dw": rng.normal(size=shape),
            "v": rng.normal(size=shape), "s": rng.random(shape), "t": i + 1, "lr": 0.01,
        }
        cases.append({"name": f"case {i}", "ops": [{"op": "call", "fn": "adam_update", "kwargs": kwargs, "out": "result"}]})
    return tuple(cases)


def request(source: str, cases=(), names=("adam_update",), **limits) -> RunRequest:
    return RunRequest(source=source, filename=FILE, names=tuple(names), cases=tuple(cases), **limits)


def test_learner_results_equal_the_same_code_run_in_process(sandbox):
    cases = adam_cases()
    result = sandbox.run(request(ADAM, cases))
    assert isinstance(result, RunResult)
    assert result.status == "ok" and result.message == "" and len(result.cases) == len(cases)
    ns: dict = {}
    exec(compile(ADAM, FILE, "exec"), ns)
    for got, want in zip(result.cases, run_cases(ns, cases)):
        assert got.name == want.name and got.error is None and got.mutated == ()
        for a, b in zip(got.outputs["result"], want.outputs["result"]):
            np.testing.assert_array_equal(a, b)


def test_types_survive_the_boundary(sandbox):
    source = (
        "import numpy as np\n"
        "def f():\n"
        "    return [1.5, np.float64(1.5), np.array(1.5), (1, 2), {'k': np.int32(3)}, None, 'x', len]\n"
    )
    result = sandbox.run(request(source, [{"name": "c", "ops": [{"op": "call", "fn": "f", "out": "o"}]}], names=("f",)))
    out = result.cases[0].outputs["o"]
    assert [type(x) for x in out[:7]] == [float, np.float64, np.ndarray, tuple, dict, type(None), str]
    assert out[2].shape == () and type(out[4]["k"]) is np.int32
    assert isinstance(out[7], Unsupported)


def test_rng_stateful_program_and_mutation_in_the_child(sandbox):
    source = (
        "class SGD:\n"
        "    def __init__(self, lr):\n"
        "        self.lr = lr\n"
        "    def step(self, params, grads):\n"
        "        for k in params:\n"
        "            params[k] -= self.lr * grads['d' + k]\n"
        "def noise(rng, x):\n"
        "    x += 1\n"
        "    return rng.random(2)\n"
    )
    cases = [
        {"name": "draw", "ops": [{"op": "call", "fn": "noise", "kwargs": {"rng": Rng(5), "x": np.zeros(2)}, "out": "r"}]},
        {"name": "steps", "ops": [
            {"op": "let", "slot": "p", "value": {"W1": np.ones(2)}},
            {"op": "new", "cls": "SGD", "kwargs": {"lr": 0.25}, "slot": "o"},
            {"op": "method", "obj": "o", "method": "step", "kwargs": {"params": Ref("p"), "grads": {"dW1": np.ones(2)}}},
            {"op": "method", "obj": "o", "method": "step", "kwargs": {"params": Ref("p"), "grads": {"dW1": np.ones(2)}}},
            {"op": "snapshot", "slot": "p", "out": "p"},
        ]},
    ]
    result = sandbox.run(request(source, cases, names=("SGD", "noise")))
    draw, steps = result.cases
    np.testing.assert_array_equal(draw.outputs["r"], np.random.default_rng(5).random(2))
    assert draw.mutated == ((0, "x"),)
    np.testing.assert_array_equal(steps.outputs["p"]["W1"], [0.5, 0.5])


def test_case_error_keeps_only_the_learners_frames(sandbox):
    source = "def f(x):\n    return helper(x)\n\ndef helper(x):\n    raise ValueError(f'bad {x}')\n"
    cases = [{"name": "c", "ops": [{"op": "call", "fn": "f", "kwargs": {"x": 3}, "out": "o"}]}]
    error = sandbox.run(request(source, cases, names=("f",))).cases[0].error
    assert (error.type, error.message, error.op_index) == ("ValueError", "bad 3", 0)
    assert "line 2, in f" in error.traceback and "line 5, in helper" in error.traceback
    assert "_worker_main" not in error.traceback and "program.py" not in error.traceback


def test_syntax_error_names_the_line(sandbox):
    result = sandbox.run(request("import numpy as np\n\ndef adam_update(w:\n    pass\n"))
    assert result.status == "syntax_error"
    assert "line 3" in result.message
    assert "def adam_update(w:" in result.traceback


def test_missing_and_non_callable_names(sandbox):
    missing = sandbox.run(request("x = 1\n", names=("adam_update", "x")))
    assert missing.status == "missing_names" and "adam_update" in missing.message
    value = sandbox.run(request("adam_update = 3\n"))
    assert value.status == "missing_names" and "not a value" in value.message


def test_output_is_captured_and_trimmed(sandbox):
    source = (
        "import sys\nprint('hello from the learner')\nsys.stdout.buffer.write(b'bytes too\\n')\n"
        "print('x' * 10000)\ndef adam_update(): pass\n"
    )
    result = sandbox.run(request(source, output_limit=100))
    assert result.status == "ok"
    assert result.output.startswith("hello from the learner\nbytes too\n")
    assert "trimmed" in result.output and len(result.output) < 200


def test_each_run_gets_a_fresh_process(sandbox):
    source = (
        "import numpy as np, os\n"
        "first = getattr(np, '_tutor_mark', None)\n"
        "np._tutor_mark = os.getpid()\n"
        "np.pi = 3.0\n"
        "def f():\n"
        "    return [first, float(np.pi), os.getpid()]\n"
    )
    cases = [{"name": "c", "ops": [{"op": "call", "fn": "f", "out": "o"}]}]
    runs = [sandbox.run(request(source, cases, names=("f",))).cases[0].outputs["o"] for _ in range(2)]
    assert [run[0] for run in runs] == [None, None]
    assert runs[0][2] != runs[1][2]
    assert np.pi != 3.0


def test_partial_results_survive_a_timeout(sandbox):
    source = "def f(x):\n    while x == 2:\n        pass\n    return x\n"
    cases = [{"name": f"c{x}", "ops": [{"op": "call", "fn": "f", "kwargs": {"x": x}, "out": "o"}]} for x in (1, 2, 3)]
    result = sandbox.run(request(source, cases, names=("f",), time_limit=1.5))
    assert result.status == "timeout"
    assert [c.name for c in result.cases] == ["c1"]
    assert "timed out after 1.5 s" in result.message and "'c2'" in result.message


def test_worker_is_restarted_after_it_dies():
    with Sandbox() as box:
        assert box.run(request(ADAM, adam_cases(1))).status == "ok"
        pid = box.worker_pid
        os.kill(pid, signal.SIGKILL)
        import time

        deadline = time.monotonic() + 10  # dead, not just signalled (a loaded machine is slow to it)
        while box.worker_pid is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        again = box.run(request(ADAM, adam_cases(1)))
        assert again.status == "ok" and box.worker_pid not in (None, pid)


def test_close_stops_the_worker_and_run_once_leaves_none():
    box = Sandbox()
    assert box.run(request(ADAM, adam_cases(1))).ok
    pid = box.worker_pid
    box.close()
    box.close()
    assert not process_alive(pid)
    assert run_once(request(ADAM, adam_cases(2))).status == "ok"


def test_runs_from_several_threads_are_serialized(sandbox):
    results: list = []

    def go():
        results.append(sandbox.run(request(ADAM, adam_cases(2))).status)

    threads = [threading.Thread(target=go) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ok", "ok", "ok"]


@pytest.mark.parametrize(
    "bad",
    [
        {"time_limit": 0},
        {"time_limit": float("inf")},
        {"memory_mb": 1},
        {"cases": ({"name": "x", "ops": [{"op": "nope"}]},)},
    ],
)
def test_malformed_requests_are_refused_before_running(sandbox, bad):
    fields = {"cases": ()} | bad
    with pytest.raises(ValueError):
        sandbox.run(request(ADAM, **fields))


def test_reference_outputs_can_be_put_in_wire_form():
    ns: dict = {}
    exec(ADAM, ns)
    outcome = run_cases(ns, adam_cases(1))[0]
    assert type(roundtrip(outcome.outputs)["result"]) is tuple


@pytest.fixture(scope="module")
def worker_module():
    import importlib.util

    from tutor.grading import sandbox as sandbox_module

    spec = importlib.util.spec_from_file_location("_worker_main_under_test", sandbox_module.WORKER_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("pidfd", [True, False])
def test_worker_wait_reaps_or_times_out(worker_module, monkeypatch, pidfd):
    import time

    if not pidfd:
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    status = worker_module._wait(pid, time.monotonic() + 5)
    assert status is not None and os.WEXITSTATUS(status) == 3
    pid = os.fork()
    if pid == 0:
        time.sleep(5)
        os._exit(0)
    try:
        assert worker_module._wait(pid, time.monotonic() + 0.05) is None
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_worker_frames_cut_short_by_a_kill_are_dropped(worker_module):
    import struct

    whole = b"C" + struct.pack("<Q", 3) + b"abc"
    assert worker_module._split(whole + whole[:6]) == [(b"C", b"abc")]


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            if int(text[text.rfind(b")") + 2 :].split()[1]) == pid:
                kids.append(int(entry))
    return kids


def _ns_pid(pid: int) -> int | None:
    """The process's id in its own PID namespace (the sandbox's children live in one)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return int(line.split()[-1])
    except OSError:
        return None
    return pid


def test_a_dead_spare_child_is_replaced_transparently():
    import time

    source = "import os\ndef f():\n    return os.getpid()\n"
    cases = [{"name": "c", "ops": [{"op": "call", "fn": "f", "out": "pid"}]}]
    with Sandbox() as box:
        ran_in = box.run(request(source, cases, names=("f",))).cases[0].outputs["pid"]
        deadline = time.monotonic() + 10
        # the child that ran may still be exiting: wait for the next one, the spare
        # (a process whose /proc entry is already gone, _ns_pid None, is the exiting one too)
        while not (spares := [p for p in _children(box.server_pid) if _ns_pid(p) not in (None, ran_in)]) \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(spares) == 1
        os.kill(spares[0], signal.SIGKILL)
        time.sleep(0.05)
        result = box.run(request(ADAM, adam_cases(2)))
        assert result.status == "ok" and len(result.cases) == 2


def test_a_missing_python_is_a_sandbox_error():
    from tutor.grading.sandbox import SandboxError

    with pytest.raises(SandboxError, match="cannot start"):
        Sandbox(python="/nonexistent/python")
    box = Sandbox(python="/bin/false")  # starts, but never says it is ready
    with pytest.raises(SandboxError, match="did not start"):
        box.run(request(ADAM, adam_cases(1)))
    box.close()


def test_submit_lets_the_caller_work_while_the_code_runs(sandbox):
    source = "import time\ndef f():\n    time.sleep(0.2)\n    return 1\n"
    cases = [{"name": "c", "ops": [{"op": "call", "fn": "f", "out": "o"}]}]
    pending = sandbox.submit(request(source, cases, names=("f",)))
    ns: dict = {}
    exec(ADAM, ns)
    mine = run_cases(ns, adam_cases(2))  # the parent's own work, meanwhile
    result = pending.result()
    assert result.status == "ok" and result.cases[0].outputs["o"] == 1
    assert pending.result() is result and len(mine) == 2
    with sandbox.submit(request(ADAM, adam_cases(1))):  # leaving the block collects the answer
        pass
    assert sandbox.run(request(ADAM, adam_cases(1))).ok


def test_the_worker_keeps_no_files_or_processes_across_many_runs():
    sources = [
        ADAM,
        "import ctypes\nctypes.string_at(0)\n",
        "import os\nos._exit(3)\n",
        "import os\nos.fork()\n" + ADAM,
        "while True:\n    pass\n",
        "print('x' * 100000)\n" + ADAM,
        "def adam_update(**k):\n    raise ValueError('no')\n",
    ]

    def idle_fds(worker: int) -> int:
        """The worker's open files once it waits for the next request (its spare forked)."""
        import time

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            spares, count = _children(worker), len(os.listdir(f"/proc/{worker}/fd"))
            time.sleep(0.05)
            if len(spares) == 1 and _children(worker) == spares and len(os.listdir(f"/proc/{worker}/fd")) == count:
                return count
        raise AssertionError("the worker never settled")

    # a non-dumpable worker's open files cannot be listed by an ordinary user (root can)
    with Sandbox(disable=None if os.geteuid() == 0 else ("non_dumpable",)) as box:
        box.run(request(ADAM, adam_cases(1)))
        worker = box.server_pid
        fds_before = idle_fds(worker)
        for _ in range(2):
            for source in sources:
                box.run(request(source, adam_cases(2), time_limit=0.3))
        assert box.server_pid == worker
        assert idle_fds(worker) == fds_before  # and exactly one child: the spare


FORK_SCRIPT = """
import json, os, sys
import tutor.grading.sandbox as sb
if sys.argv[1] == "broken":
    sb._become_worker = lambda *args: os._exit(0)  # the fork dies before its hello
box = sb.Sandbox(once=True, fork=True)
kind = type(box._proc).__name__
from tests.grading.test_hostile import CASES, FILE, GOOD
r = box.run(sb.RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=5.0))
again = box.run(sb.RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=5.0))
box.close()
print(json.dumps({"first": kind, "status": r.status, "n": len(r.cases), "again": again.status}))
"""


@pytest.mark.parametrize("how", ["forked", "broken"])
def test_a_forked_one_request_worker_serves_and_a_dead_fork_falls_back(how):
    """``Sandbox(once=True, fork=True)``, as ``tutor check`` makes it, in a fresh interpreter: the
    worker is a fork of it and serves the request; a second request gets a fresh worker; a fork
    that dies before it says hello is replaced by a started one, and the run still happens."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("OPENBLAS_NUM_THREADS", None)
    run = subprocess.run([sys.executable, "-c", FORK_SCRIPT, how], capture_output=True, text=True, timeout=120,
                         cwd=root, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    data = json.loads(run.stdout.splitlines()[-1])
    assert data["first"] == "_ForkedWorker"
    assert data["status"] == "ok" and data["n"] > 0 and data["again"] == "ok", data


def test_a_process_holding_the_reference_is_never_forked():
    """This test process has imported ``tutor.core`` (the reference): ``fork=True`` starts a fresh
    interpreter instead."""
    import tutor.core  # noqa: F401

    with Sandbox(once=True, fork=True) as box:
        assert type(box._proc).__name__ == "Popen"
