"""A non-editable install ships the lessons inside the package and finds them from anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (the test extra)")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = work.glob("tutor-*.whl")
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def _run_installed(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "TUTOR_HOME": str(cwd / "home")}
    env.pop("TUTOR_LESSONS", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_wheel_contains_the_lessons(installed: Path) -> None:
    lessons = installed / "tutor" / "lessons"
    assert (lessons / "course.yaml").is_file()
    assert len(list(lessons.glob("0*/*.yaml"))) == 20
    assert (lessons / "capstone" / "c_1_digits.yaml").is_file()
    assert list((lessons / "exercises").glob("*.yaml"))


def test_installed_package_loads_all_21_lessons_from_another_folder(installed: Path, tmp_path: Path) -> None:
    code = (
        "import tutor, tutor.paths as p; from tutor.course import load_course;"
        "c = load_course(p.lessons_dir());"
        "print(tutor.__file__); print(len(c.lessons))"
    )
    out = _run_installed(installed, "-c", code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    where, count = out.stdout.split()
    assert Path(where).is_relative_to(installed)
    assert int(count) == 21  # modules 7-9 and the capstone


def test_installed_tutor_list_sees_every_lesson(installed: Path, tmp_path: Path) -> None:
    out = _run_installed(installed, "-m", "tutor", "list", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    text = json.dumps(data)
    for lesson_id in [f"7.{i}" for i in range(1, 9)] + [f"8.{i}" for i in range(1, 6)] + [f"9.{i}" for i in range(1, 8)]:
        assert f'"{lesson_id}"' in text


def test_wheel_contains_the_app_styles(installed: Path) -> None:
    """The frame's styles and the steps' (read after the first paint) both ship."""
    app = installed / "tutor" / "app"
    assert "#outline" in (app / "tutor.tcss").read_text()
    assert "MarkdownFence" in (app / "steps.tcss").read_text()


def test_wheel_ships_the_digits_and_their_attribution(installed: Path, tmp_path: Path) -> None:
    """The UCI digits (CC BY 4.0) ship inside the package, with their README, and load from it."""
    datasets = installed / "tutor" / "core" / "datasets"
    assert (datasets / "digits.npz").is_file()
    readme = (datasets / "README.md").read_text(encoding="utf-8")
    assert "Alpaydin" in readme and "Kaynak" in readme and "CC BY 4.0" in readme
    code = (
        "import tutor.core.data as d; X, y = d.digits();"
        "print(d.__file__, X.shape, X.dtype, X.min(), X.max(), y.dtype, sorted(set(y.tolist())) == list(range(10)))"
    )
    out = _run_installed(installed, "-c", code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    where, *rest = out.stdout.split(" ", 1)
    assert Path(where).is_relative_to(installed)
    assert rest[0].strip() == "(1797, 64) float64 0.0 1.0 int64 True"
