"""The sandbox tests again, as an ordinary user: root bypasses file permissions (not Landlock), so a
sandbox proven only as root is not proven. CI runs as root: this test creates a system user with
``useradd`` and runs the sandbox, hostile and confinement tests as that user through ``setpriv``
(or ``runuser``), with a Python it can reach (this one, or the same version from the system with
this environment's packages on its path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

USER = "tutor-sandbox-test"
ROOT = Path(__file__).resolve().parents[2]
TESTS = ["tests/grading/test_sandbox.py", "tests/grading/test_hostile.py", "tests/grading/test_confinement.py"]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux only")


def _as_user(uid: int, gid: int) -> list[str]:
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--"]
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", USER, "--"]
    pytest.skip("neither setpriv nor runuser is installed: cannot run as another user")


def _reachable(prefix: list[str], path: str) -> bool:
    return subprocess.run([*prefix, "test", "-r", path], capture_output=True).returncode == 0


def _python_for(prefix: list[str], home: Path) -> str:
    """A Python the user can run, with NumPy and pytest importable even under ``-I``."""
    if _reachable(prefix, os.path.realpath(sys.executable)) and _reachable(prefix, sysconfig.get_paths()["stdlib"]):
        return sys.executable
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    system = next((p for p in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}") if os.path.exists(p)), None)
    if system is None or not _reachable(prefix, system):
        pytest.skip(f"this Python ({sys.executable}) is not readable by an ordinary user and no system "
                    f"python{version} is either")
    packages = [p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p)]
    if not packages or not all(_reachable(prefix, p) for p in packages):
        pytest.skip(f"this environment's packages ({packages}) are not readable by an ordinary user")
    venv = home / "venv"
    (venv / "bin").mkdir(parents=True)
    site = venv / "lib" / f"python{version}" / "site-packages"
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(f"home = {os.path.dirname(system)}\ninclude-system-site-packages = false\n")
    (venv / "bin" / "python").symlink_to(system)
    (site / "_tutor_test_env.pth").write_text("\n".join(packages) + "\n")
    return str(venv / "bin" / "python")


def test_the_sandbox_tests_pass_as_an_ordinary_user():
    if os.geteuid() != 0:
        pytest.skip("already an ordinary user: the sandbox tests themselves run as this user")
    if os.environ.get("TUTOR_TEST_NONROOT"):
        pytest.skip("inside the ordinary user's run")
    import pwd

    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            pytest.skip("useradd is not installed: cannot create an ordinary user")
        subprocess.run([useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
        entry = pwd.getpwnam(USER)
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="tutor-nonroot-"))  # pytest's own tmp folders are root's only
    try:
        _run_as(entry, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _run_as(entry, home: Path) -> None:  # noqa: ANN001 - a pwd entry
    os.chown(home, entry.pw_uid, entry.pw_gid)
    prefix = _as_user(entry.pw_uid, entry.pw_gid)
    python = _python_for(prefix, home)
    # the checkout may sit in a folder only root can enter (CI's clone, a mktemp folder): the user
    # runs a copy of it in its own home
    source = home / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv"),
                    symlinks=True)
    for path in home.rglob("*"):
        os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(source),
        "TUTOR_HOME": str(home / "tutor"),
        "TUTOR_TEST_NONROOT": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [*prefix, python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "no:randomly",
               "--basetemp", str(home / "pytest"), *TESTS]
    run = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
