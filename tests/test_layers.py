"""The layers of docs/internals.md as import-linter contracts (``[tool.importlinter]`` in
pyproject.toml): core imports nothing of course, grading or app; course and progress import
neither NumPy nor Textual; grading does not import exercises, and exercises use only grading's
case helpers; only app imports Textual.

import-linter reads every import statement of the package, including imports inside functions,
so a lazy ``import numpy`` in ``tutor.course`` breaks a contract too (the one deliberate
exception, ``tutor validate`` evaluating checks, is listed in the contract).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]


def lint(*args: str, cwd: Path = ROOT, pythonpath: Path = ROOT) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_layer_contracts_are_kept() -> None:
    r = lint()
    assert r.returncode == 0, r.stdout + r.stderr
    text = (ROOT / "pyproject.toml").read_text()
    contracts = text.count("[[tool.importlinter.contracts]]")
    assert contracts == 5  # adding or dropping a contract is a decision: change this number with it
    assert f"{contracts} kept, 0 broken" in r.stdout


def test_a_broken_layer_is_caught(tmp_path: Path) -> None:
    """The same contracts on a copy of the package where the course model imports NumPy."""
    import shutil

    shutil.copytree(ROOT / "tutor", tmp_path / "tutor", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "tutor" / "course" / "model.py"
    model.write_text(model.read_text() + "\n\ndef _late():\n    import numpy\n")
    r = lint(cwd=tmp_path, pythonpath=tmp_path)
    assert r.returncode != 0
    assert "tutor.course.model -> numpy" in r.stdout and "1 broken" in r.stdout
