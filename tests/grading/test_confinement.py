"""The hostile-submission corpus of issue 10, against the OS-level sandbox, mechanism by mechanism.

Every submission is a *wrong* momentum update that tries, at import, one way out: read or change
what it must not (TUTOR_HOME, the reference, a source checkout, the install, the home folder,
another process's memory), start programs, signal processes outside, hold memory in forms the
address-space limit does not count, fill the disk, reach the network. An attempt that gets through
prints ``ESCAPED``. Each runs under every configuration of ``CONFIGS`` (all mechanisms, then each
turned off with ``Sandbox(disable=...)``): where the mechanisms that contain it are in force it must
be contained (no ``ESCAPED``, TUTOR_HOME unchanged); in every configuration the check must fail,
end in time with a result (never a traceback or a hang), and leave nothing running.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.grading.test_hostile import CASES, FILE, LIMIT, MEMORY_MB, descendants, passes
from tutor.grading.sandbox import RunRequest, Sandbox

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux only")

WRONG = """
def momentum_update(w, dw, v, beta=0.9, lr=0.1):
    return w, v
"""

#: name -> mechanisms turned off (None: every mechanism the kernel offers)
CONFIGS = {
    "all-mechanisms": (),
    "no-landlock": ("landlock",),
    "no-seccomp": ("seccomp",),
    "no-namespaces": ("namespaces",),
    "no-user-namespace": ("user_namespace",),
    "no-pid-net-namespaces": ("pid_namespace", "net_namespace"),
    "no-no-new-privs": ("no_new_privs",),
    "no-rlimits": ("rlimits",),
    "nothing": ("all",),
}


@dataclass(frozen=True)
class Attack:
    name: str
    code: str  # runs at import with the names of ``constants`` defined; prints ESCAPED on success
    contained_by: tuple[frozenset[str], ...]  # any one of these sets of mechanisms contains it
    status: tuple[str, ...] = ("ok", "import_error")  # statuses accepted when contained


def by(*alternatives: str) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(a.split("+")) for a in alternatives)


ATTACKS = [
    # --- nothing to steal: TUTOR_HOME, the reference, the solution -----------------------------
    Attack("read the exercise cache", "print('ESCAPED', open(CACHE).read()[:80])", by("landlock")),
    Attack("rewrite the exercise cache", "open(CACHE, 'w').write('{}'); print('ESCAPED')", by("landlock")),
    Attack(
        "read the reference through libc open",
        "import ctypes\nfd = ctypes.CDLL(None).open(REF.encode(), 0)\nif fd >= 0: print('ESCAPED', fd)",
        by("landlock"),
    ),
    Attack(
        "read the reference with dir_fd",
        "import os\nd = os.open(os.path.dirname(REF), os.O_RDONLY)\n"
        "print('ESCAPED', os.read(os.open(os.path.basename(REF), os.O_RDONLY, dir_fd=d), 40))",
        by("landlock"),
    ),
    Attack("hard link the reference", "import os\nos.link(REF, LINK)\nprint('ESCAPED')", by("landlock")),
    Attack("read a source checkout's solution", "print('ESCAPED', open(CHECKOUT).read()[:40])", by("landlock")),
    Attack("list the home folder (pip cache, course cache)", "import os\nprint('ESCAPED', os.listdir(HOME))", by("landlock")),
    Attack(
        "read the grading process's memory",
        "f = open(f'/proc/{PARENT}/mem', 'rb')\nprint('ESCAPED')",
        by("landlock", "pid_namespace"),
    ),
    Attack(
        "insert into progress.db",
        "import sqlite3\nc = sqlite3.connect(DB)\nc.execute('create table if not exists x (a)')\nc.commit()\nprint('ESCAPED')",
        by("landlock"),
    ),
    Attack("overwrite another workspace file", "open(OTHER, 'w').write('x = 1\\n')\nprint('ESCAPED')", by("landlock")),
    Attack(
        "chmod and touch progress.db (metadata Landlock does not guard)",
        "import os\nos.chmod(DB, 0)\nos.utime(DB, (0, 0))\nprint('ESCAPED')",
        by("seccomp"),
    ),
    Attack("delete progress", "import os\nos.remove(DB)\nprint('ESCAPED')", by("landlock")),
    Attack(
        "plant a .pth file in site-packages",
        "open(PTH, 'w').write('import os\\n')\nprint('ESCAPED')",
        by("landlock"),
    ),
    Attack(
        "open the installed reference for writing",
        "import os\nos.open(REF, os.O_WRONLY | os.O_APPEND)\nprint('ESCAPED')",
        by("landlock"),
    ),
    Attack(
        "plant a pickle in the course cache",
        "import os, pickle\nos.makedirs(os.path.join(HOME, '.cache', 'tutor'), exist_ok=True)\n"
        "open(os.path.join(HOME, '.cache', 'tutor', 'course.pickle'), 'wb').write(pickle.dumps(1))\nprint('ESCAPED')",
        by("landlock"),
    ),
    # --- other programs --------------------------------------------------------------------------
    Attack(
        "a subprocess that imports tutor",
        "import subprocess, sys\nr = subprocess.run([sys.executable, '-c', 'import tutor.core.optimizers; print(1)'],"
        " capture_output=True, text=True)\nif r.stdout.strip() == '1': print('ESCAPED')",
        by("seccomp", "landlock"),
        ("import_error", "forked", "ok"),
    ),
    Attack(
        "tutor solution --yes through os.system",
        "import os\nif os.system('tutor solution adam --yes >/dev/null 2>&1') == 0: print('ESCAPED')",
        by("seccomp", "landlock"),
        ("forked", "import_error"),
    ),
    Attack("os.system is reported", "import os\nos.system('true')", by("rlimits", "no_new_privs", ""), ("forked",)),
    # --- processes outside ----------------------------------------------------------------------
    Attack(
        "SIGSTOP a process outside",
        "import os, signal\nos.kill(VICTIM, signal.SIGSTOP)\nprint('ESCAPED')",
        by("pid_namespace", "landlock", "seccomp"),
    ),
    Attack(
        "SIGKILL a process outside through libc",
        "import ctypes\nif ctypes.CDLL(None).kill(VICTIM, 9) == 0: print('ESCAPED')",
        by("pid_namespace", "landlock", "seccomp"),
    ),
    Attack(
        "ptrace a process outside",
        "import ctypes\nlibc = ctypes.CDLL(None)\nif libc.ptrace(16, VICTIM, 0, 0) == 0:\n"
        "    libc.ptrace(17, VICTIM, 0, 0)\n    print('ESCAPED')",
        by("seccomp", "landlock", "pid_namespace"),
    ),
    Attack(
        "process_vm_readv of a process outside",
        "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nbuf = ctypes.create_string_buffer(8)\n"
        "class V(ctypes.Structure): _fields_ = [('b', ctypes.c_void_p), ('n', ctypes.c_size_t)]\n"
        "local, remote = V(ctypes.addressof(buf), 8), V(0x400000, 8)\n"
        "n = libc.process_vm_readv(VICTIM, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)\n"
        "if n > 0 or ctypes.get_errno() in (14,): print('ESCAPED')",
        by("seccomp", "pid_namespace"),
    ),
    # --- memory and disk -------------------------------------------------------------------------
    Attack(
        "memfd and fallocate past the memory limit",
        "import os\nfd = os.memfd_create('x')\nos.posix_fallocate(fd, 0, 1 << 30)\nprint('ESCAPED')",
        by("seccomp"),
    ),
    Attack(
        "/dev/shm and fallocate past the memory limit",
        "import os\nfd = os.open('/dev/shm/tutor-attack', os.O_CREAT | os.O_RDWR)\nos.posix_fallocate(fd, 0, 1 << 30)\n"
        "print('ESCAPED')",
        by("landlock", "mount_namespace"),
    ),
    Attack(
        "SysV shared memory",
        "import ctypes\nif ctypes.CDLL(None).shmget(0, 1 << 30, 0o1600) >= 0: print('ESCAPED')",
        by("seccomp"),
    ),
    Attack(
        "fill the disk",
        "import os\nf = open(os.path.join(SCRATCH, 'fill'), 'wb')\nfor _ in range(80):\n    f.write(bytes(1 << 20))\n"
        "f.flush()\nprint('ESCAPED')",
        by("landlock", "rlimits"),
    ),
    # --- network ---------------------------------------------------------------------------------
    Attack(
        "connect to a Unix socket file (a daemon's)",
        "import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect(UNIX)\nprint('ESCAPED')",
        by("seccomp"),
    ),
    Attack(
        "connect to a local server",
        "import socket\nsocket.create_connection(('127.0.0.1', PORT), timeout=0.5)\nprint('ESCAPED')",
        by("net_namespace", "landlock4"),
    ),
]


def contained(attack: Attack, sandbox: dict) -> bool:
    have = set(sandbox.get("mechanisms", ()))
    if "landlock" in have:
        abi = sandbox.get("landlock_abi", 0)
        have |= {f"landlock{n}" for n in range(1, abi + 1)}
    have.add("")
    return any(need <= have for need in attack.contained_by)


def tree_digest(root: Path) -> dict[str, tuple]:
    """Every file's content, mode and modification time."""
    return {
        str(p.relative_to(root)): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir", p.stat().st_mode, p.stat().st_mtime_ns
        )
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A TUTOR_HOME with a cache, a store and a workspace; a home folder; a victim process outside
    the sandbox; a listening local server."""
    base = tmp_path_factory.mktemp("world")
    home, tutor_home, scratch = base / "home", base / "tutor-home", base / "scratch"
    for folder in (home / ".cache" / "pip", tutor_home / "cache" / "exercises", tutor_home / "workspace", scratch):
        folder.mkdir(parents=True)
    (tutor_home / "cache" / "exercises" / "adam.json").write_text('{"data": "SECRET-SOLUTION"}')
    (tutor_home / "workspace" / "sgd.py").write_text("def sgd_update(w, dw, lr):\n    return w - lr * dw\n")
    (tutor_home / "progress.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    os.chmod(base, 0o777)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(scratch / "daemon.sock"))
    os.chmod(scratch / "daemon.sock", 0o777)
    unix.listen(8)
    import site

    import tutor.core.optimizers as reference

    root = Path(reference.__file__).resolve().parents[2]
    constants = {
        "CACHE": str(tutor_home / "cache" / "exercises" / "adam.json"),
        "REF": str(Path(reference.__file__).resolve()),
        "LINK": str(scratch / "link.py"),
        "CHECKOUT": str(root / "lessons" / "exercises" / "adam.yaml"),
        "HOME": str(home),
        "PARENT": os.getpid(),
        "DB": str(tutor_home / "progress.db"),
        "OTHER": str(tutor_home / "workspace" / "sgd.py"),
        "PTH": str(Path(site.getsitepackages()[0]) / "zz-tutor-attack.pth"),
        "SCRATCH": str(scratch),
        "PORT": server.getsockname()[1],
        "UNIX": str(scratch / "daemon.sock"),
    }
    yield constants, tutor_home
    server.close()
    unix.close()
    Path(constants["PTH"]).unlink(missing_ok=True)


@pytest.fixture(scope="module", params=list(CONFIGS), ids=list(CONFIGS))
def confined(request, world):
    constants, tutor_home = world
    saved = {k: os.environ.get(k) for k in ("HOME", "TUTOR_HOME")}
    os.environ.update(HOME=constants["HOME"], TUTOR_HOME=str(tutor_home))
    try:
        with Sandbox(disable=CONFIGS[request.param]) as box:
            yield box
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def victim_state(pid: int) -> str:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rfind(")") + 2]


@pytest.fixture
def victim():
    """A process outside the sandbox, for the attacks that signal, trace or read one."""
    process = subprocess.Popen(["sleep", "300"])
    yield process
    process.kill()
    process.wait()


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_fails_or_is_contained(confined, world, victim, attack):
    constants, tutor_home = world
    prelude = "".join(f"{name} = {value!r}\n" for name, value in {**constants, "VICTIM": victim.pid}.items())
    source = prelude + "try:\n" + "".join(f"    {line}\n" for line in attack.code.splitlines()) + (
        "except BaseException as exc:\n    print('refused:', type(exc).__name__, exc)\n"
    ) + WRONG
    before = tree_digest(tutor_home)
    started = time.monotonic()
    result = confined.run(
        RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT, memory_mb=MEMORY_MB)
    )
    assert time.monotonic() - started <= LIMIT + 3.0
    assert not passes(result)
    assert "Traceback" not in result.message
    left = descendants(confined.server_pid)
    assert len(left) <= 1, f"processes left under the worker: {left}"
    if contained(attack, result.sandbox):
        assert victim.poll() is None and victim_state(victim.pid) != "T", "a process outside was signalled"
    if contained(attack, result.sandbox):
        assert "ESCAPED" not in result.output, (result.sandbox["mechanisms"], result.output)
        assert result.status in attack.status, (result.status, result.message, result.output)
        assert tree_digest(tutor_home) == before, "TUTOR_HOME changed"
    # put the world back for the next attack (an uncontained one may have changed it)
    Path(constants["PTH"]).unlink(missing_ok=True)
    Path(constants["LINK"]).unlink(missing_ok=True)
    Path(constants["SCRATCH"], "fill").unlink(missing_ok=True)
    if Path(constants["DB"]).exists():
        os.chmod(constants["DB"], 0o644)


def test_every_configuration_reports_what_is_in_force(confined):
    result = confined.run(RunRequest(WRONG, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
    sandbox = result.sandbox
    assert result.status == "ok" and not passes(result)
    in_force, missing = set(sandbox["mechanisms"]), sandbox["missing"]
    from tutor.grading.confine import MECHANISMS

    assert in_force | set(missing) == set(MECHANISMS) and not in_force & set(missing)
    assert all(isinstance(why, str) and why for why in missing.values())


REAL = ("read the exercise cache", "rewrite the exercise cache", "read the reference through libc open",
        "list the home folder (pip cache, course cache)")


def test_the_attacks_are_real_without_the_sandbox(world):
    """With every mechanism turned off, these attacks get through: the corpus can fail."""
    constants, tutor_home = world
    saved = {k: os.environ.get(k) for k in ("HOME", "TUTOR_HOME")}
    os.environ.update(HOME=constants["HOME"], TUTOR_HOME=str(tutor_home))
    try:
        with Sandbox(disable=("all",)) as box:
            for attack in [a for a in ATTACKS if a.name in REAL]:
                source = "".join(f"{k} = {v!r}\n" for k, v in {**constants, "VICTIM": 0}.items()) + attack.code + WRONG
                result = box.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT))
                assert "ESCAPED" in result.output, (attack.name, result.status, result.message)
                assert result.isolation_partial and not passes(result)
    finally:
        Path(constants["LINK"]).unlink(missing_ok=True)
        Path(constants["CACHE"]).write_text('{"data": "SECRET-SOLUTION"}')
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


FORBID_UNSHARE = """
import ctypes, errno, json, os, struct, sys
from tutor.grading import confine as c
arch, numbers = c._ARCH[os.uname().machine]
prog = [c._insn(c._LD_W_ABS, 4), c._insn(c._JEQ, arch, 1, 0), c._insn(c._RET, c.SECCOMP_RET_ALLOW),
        c._insn(c._LD_W_ABS, 0), c._insn(c._JEQ, numbers["unshare"], 0, 1),
        c._insn(c._RET, c.SECCOMP_RET_ERRNO | errno.EPERM), c._insn(c._RET, c.SECCOMP_RET_ALLOW)]
assert c._prctl(c.PR_SET_NO_NEW_PRIVS, 1) == 0 and c.install_seccomp(b"".join(prog)) == ""
from tests.grading.test_hostile import CASES, FILE, GOOD
from tutor.grading.sandbox import RunRequest, Sandbox
with Sandbox() as box:
    r = box.run(RunRequest(GOOD, FILE, ("momentum_update",), CASES, time_limit=2.0))
print(json.dumps({"status": r.status, "sandbox": r.sandbox, "partial": r.isolation_partial}))
"""


def test_a_system_that_forbids_namespaces_falls_back_cleanly():
    """As in a container whose seccomp profile refuses ``unshare``: no namespace, the reason named,
    and the check runs under the other mechanisms."""
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", FORBID_UNSHARE], capture_output=True, text=True, timeout=120,
                         cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    assert run.returncode == 0, run.stderr[-2000:]
    import json

    data = json.loads(run.stdout.splitlines()[-1])
    assert data["status"] == "ok"
    mechanisms, missing = set(data["sandbox"]["mechanisms"]), data["sandbox"]["missing"]
    from tutor.grading.confine import NAMESPACES

    assert not mechanisms & set(NAMESPACES)
    assert all("EPERM" in missing[name] for name in NAMESPACES)
    assert {"landlock", "seccomp", "no_new_privs", "rlimits"} <= mechanisms
    assert data["partial"] is (data["sandbox"]["landlock_abi"] < 4)


FORKED = """
import json, os, sys
from pathlib import Path
from tutor.grading.sandbox import RunRequest, Sandbox
# first: this process (which has imported nothing else yet) forks into the worker, as `tutor check` does
box = Sandbox(fork=True)
forked = type(box._proc).__name__ == "_ForkedWorker"
from tests.grading.test_confinement import ATTACKS, WRONG
from tests.grading.test_hostile import CASES, FILE, LIMIT, MEMORY_MB, descendants, passes
constants = json.loads(os.environ["ATTACK_CONSTANTS"])
report = []
for attack in ATTACKS:
    prelude = "".join(f"{name} = {value!r}\\n" for name, value in constants.items())
    source = prelude + "try:\\n" + "".join(f"    {line}\\n" for line in attack.code.splitlines()) + (
        "except BaseException as exc:\\n    print('refused:', type(exc).__name__, exc)\\n") + WRONG
    r = box.run(RunRequest(source, FILE, ("momentum_update",), CASES, time_limit=LIMIT, memory_mb=MEMORY_MB))
    report.append({"name": attack.name, "status": r.status, "message": r.message, "output": r.output,
                   "sandbox": r.sandbox, "passes": passes(r), "left": descendants(box.server_pid)})
    for key in ("PTH", "LINK"):
        Path(constants[key]).unlink(missing_ok=True)
    Path(constants["SCRATCH"], "fill").unlink(missing_ok=True)
box.close()
print(json.dumps({"forked": forked, "report": report}))
"""


def test_a_forked_worker_contains_every_attack(world, victim):
    """``tutor check`` forks its worker from itself (``Sandbox(fork=True)``) instead of starting a
    fresh interpreter: the same corpus, with every mechanism, in a process that forked that way."""
    import json

    constants, tutor_home = world
    before = tree_digest(tutor_home)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "HOME": constants["HOME"], "TUTOR_HOME": str(tutor_home),
           "ATTACK_CONSTANTS": json.dumps({**constants, "VICTIM": victim.pid})}
    env.pop("OPENBLAS_NUM_THREADS", None)  # the sandbox sets it itself before NumPy's import
    run = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, timeout=600, cwd=root, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads(run.stdout.splitlines()[-1])
    assert data["forked"], "the worker was not forked: the test would not test the fork"
    assert [r["name"] for r in data["report"]] == [a.name for a in ATTACKS]
    for attack, r in zip(ATTACKS, data["report"]):
        assert not r["passes"], attack.name
        assert "Traceback" not in r["message"], (attack.name, r["message"])
        assert len(r["left"]) <= 1, (attack.name, r["left"])
        assert contained(attack, r["sandbox"]), (attack.name, r["sandbox"])
        assert "ESCAPED" not in r["output"], (attack.name, r["sandbox"]["mechanisms"], r["output"])
        assert r["status"] in attack.status, (attack.name, r["status"], r["message"], r["output"])
    assert victim.poll() is None and victim_state(victim.pid) != "T", "a process outside was signalled"
    assert tree_digest(tutor_home) == before, "TUTOR_HOME changed"


PROBE = '''
import gc, os, sys, types
def _strings():
    for o in gc.get_objects():
        if isinstance(o, dict):
            yield from (v for v in list(o.values()) if isinstance(v, str))
        elif isinstance(o, (list, tuple)):
            yield from (v for v in o if isinstance(v, str))
print("MODULES", sorted(n for n in sys.modules if n == "tutor" or n.startswith("tutor.")))
print("REACHABLE", sorted({getattr(o, "__name__", "?") for o in gc.get_objects()
      if isinstance(o, types.ModuleType) and str(getattr(o, "__name__", "")).startswith("tutor")}))
print("SOLUTION", any(SOLUTION_LINE in s for s in _strings() if s is not SOLUTION_LINE))
fds = []
for fd in range(1024):
    try:
        st = os.fstat(fd)
    except OSError:
        continue
    fds.append((fd, st.st_dev, st.st_ino))
print("FDS", fds)

def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    return w, v, s
'''


def test_a_forked_check_holds_nothing_of_value(tmp_path):
    """The cold ``tutor check`` forks its worker before it reads the exercise: the learner's code,
    run by a child of that fork, finds no ``tutor`` module in ``sys.modules``, none of the reference,
    the course or the store anywhere in memory, not the worked solution's text, and no descriptor
    of the parent's."""
    import json

    from tutor.commands.check import _load_exercise
    from tutor.paths import shipped_lessons_dir

    solution = _load_exercise(shipped_lessons_dir(), "adam", full=True).solution
    line = max((ln.strip() for ln in solution.splitlines()), key=len)
    probe = tmp_path / "probe.py"
    # the marker is written backwards: the only forward copy in memory is the probe's own string
    probe.write_text(f"SOLUTION_LINE = {line[::-1]!r}[::-1]\n" + PROBE)
    home = tmp_path / "home"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TUTOR_HOME": str(home), "PYTHONPATH": str(root)}
    run = subprocess.run([sys.executable, "-m", "tutor", "check", "adam", "--file", str(probe), "--json"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert run.returncode == 1, run.stderr[-2000:]
    verdict = json.loads(run.stdout)
    assert not verdict["passed"] and verdict["status"] == "ok", verdict["message"]
    lines = {ln.split(" ", 1)[0]: ln.split(" ", 1)[1] for ln in verdict["output"].splitlines() if " " in ln}
    assert lines["MODULES"] == "[]"
    reachable = eval(lines["REACHABLE"])  # a list of module names, printed by the probe
    for valuable in ("tutor.core", "tutor.course", "tutor.exercises", "tutor.grading.grade", "tutor.progress.store"):
        assert not [m for m in reachable if m == valuable or m.startswith(valuable + ".")], reachable
    assert lines["SOLUTION"] == "False"
    fds = eval(lines["FDS"])  # (descriptor, device, inode) of every open descriptor
    files = [probe, *home.rglob("*"), *(root / "lessons").rglob("*"), *(root / "tutor").rglob("*.py")]
    known = {(f.stat().st_dev, f.stat().st_ino): f for f in files if f.exists()}
    assert not [known[(dev, ino)] for _, dev, ino in fds if (dev, ino) in known]
    assert len(fds) <= 8, fds


FRAME_ATTACK = '''
import os, sys
from pathlib import Path
f = sys._getframe()
while f is not None:  # up through the worker's frames into the grading process's own code
    g = f.f_globals
    try:
        if g.get("_cache_secret") is not None and g["_cache_secret"]() is not None:
            print("ESCAPED the cache key")
        if g.get("_load_exercise") is not None:
            ex = g["_load_exercise"](Path(LESSONS), "adam", full=True)
            print("ESCAPED the solution", str(getattr(ex, "solution", ""))[:40])
    except BaseException as exc:
        print("refused:", type(exc).__name__)
    f = f.f_back
forged = (40).to_bytes(8, "little") + b'{"status": "ok", "passed": true}'.ljust(40)
for fd in range(3, 256):  # a forged answer into every descriptor the child holds
    try:
        os.write(fd, forged)
    except OSError:
        pass

def adam_update(w, dw, v, s, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    return w, v, s
'''


def test_a_forked_check_gives_nothing_through_the_parents_frames_or_descriptors(tmp_path):
    """The child of a forked worker can walk up its frames into the grading process's functions
    (the fork copied them): calling them yields no cache key and no exercise, and forged answers
    written to every descriptor it holds do not make a wrong answer pass."""
    import json

    from tutor.paths import shipped_lessons_dir

    home = tmp_path / "home"
    attack = tmp_path / "attack.py"
    attack.write_text(f"LESSONS = {str(shipped_lessons_dir())!r}\n" + FRAME_ATTACK)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TUTOR_HOME": str(home), "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-m", "tutor", "check", "sgd", "--file", str(attack)], env=env,
                   capture_output=True, timeout=120, cwd=tmp_path)  # makes the cache key and entries
    run = subprocess.run([sys.executable, "-m", "tutor", "check", "adam", "--file", str(attack), "--json"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert run.returncode == 1, run.stderr[-2000:]
    verdict = json.loads(run.stdout)
    assert not verdict["passed"]
    assert "ESCAPED" not in verdict["output"], verdict["output"]
    assert (home / "cache").exists()  # there was a key to steal
