"""tutor.core must not import Textual (the reference runs without the UI)."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_textual():
    code = (
        "import sys, tutor.core, tutor.core.optimizers, tutor.core.schedules, tutor.core.dropout, "
        "tutor.core.regularization, tutor.core.selection, tutor.core.minibatch\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(repr(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"tutor.core imported: {out.stdout.strip()}"


def test_core_imports_no_torch_or_sklearn():
    code = (
        "import sys, tutor.core\n"
        "print(sorted(m for m in ('torch', 'sklearn', 'scipy', 'textual') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
