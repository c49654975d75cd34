"""``tutor doctor [--json]``: how well this machine can confine the code ``tutor check`` grades.

Starts the grading worker, runs a tiny program in it, and lists every confinement mechanism
(``tutor.grading.confine.MECHANISMS``): in force here, or not and why (the kernel lacks it, the
system forbids it, or ``TUTOR_SANDBOX_DISABLE`` turned it off). Exit 0 when isolation is complete,
1 when it is partial (grading still works; the check's report says so), 2 when code cannot be
checked at all here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import textwrap
from typing import Any

EXIT_OK, EXIT_PARTIAL, EXIT_UNAVAILABLE = 0, 1, 2

_PROBE = "def probe():\n    return 1\n"


def _probe() -> tuple[dict[str, Any] | None, str]:
    """The confinement of a real run (None and why when no code can be run here)."""
    from tutor.grading.sandbox import RunRequest, Sandbox, SandboxError

    case = {"name": "probe", "ops": [{"op": "call", "fn": "probe", "out": "o"}]}
    try:
        with Sandbox() as box:
            result = box.run(RunRequest(_PROBE, "<doctor>", ("probe",), (case,), time_limit=10.0))
    except (OSError, SandboxError) as exc:
        return None, str(exc)
    if result.status != "ok":
        return None, f"a trivial program did not run: {result.message}"
    return result.sandbox, ""


def run(args: argparse.Namespace) -> int:
    from tutor.grading.confine import MECHANISMS, PURPOSE
    from tutor.grading.sandbox import isolation_warning, partial

    system = f"{platform.system()} {platform.release()} ({platform.machine()}), Python {platform.python_version()}"
    user = "root" if hasattr(os, "geteuid") and os.geteuid() == 0 else "an ordinary user"
    sandbox, why = _probe()
    if sandbox is None:
        if getattr(args, "json", False):
            print(json.dumps({"system": system, "available": False, "reason": why}, indent=2))
        else:
            print(f"tutor doctor: {system}, as {user}")
            print(f"Code cannot be checked here: {why}")
        return EXIT_UNAVAILABLE
    in_force = set(sandbox.get("mechanisms", ()))
    missing = sandbox.get("missing", {})
    is_partial = partial(sandbox)
    rows = []
    for name in MECHANISMS:
        ok = name in in_force
        detail = PURPOSE[name] if ok else missing.get(name, "not available")
        if ok and name == "landlock":
            detail = f"ABI {sandbox.get('landlock_abi', 0)}: {detail}"
        rows.append({"mechanism": name, "in_force": ok, "detail": detail})
    if getattr(args, "json", False):
        data = {"system": system, "available": True, "partial": is_partial, "mechanisms": rows}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"The grading sandbox on {system},\nrunning as {user}:")
        for row in rows:
            mark = "✓" if row["in_force"] else "✗"
            print(f"  {mark} {row['mechanism'].replace('_', ' '):<16} {row['detail']}")
        if is_partial:
            print(textwrap.fill(isolation_warning(sandbox).replace("`tutor doctor` says why.", "The lines marked ✗ say why."), 79))
        else:
            print(textwrap.fill("Isolation is complete: checked code can read only Python, its standard library "
                                "and NumPy, write nothing, see no other process and reach no network.", 79))
    sys.stdout.flush()
    return EXIT_PARTIAL if is_partial else EXIT_OK
