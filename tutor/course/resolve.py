"""Resolving the dotted paths that lessons name (experiments, references, case generators, mistakes).

Only done when a path is used (a plot drawn, a check run) or by ``tutor validate``; never when the
course is loaded, because importing ``tutor.core`` imports NumPy.

A course folder may bring its own Python (``python: <folder>`` in course.yaml, kept as
``Course.python_path``): that folder is appended to ``sys.path`` here, the first time one of the
course's paths is resolved. Importing it runs its code: a course folder is trusted like any program
you run.

This is the one resolver of dotted paths: the grader (``tutor.grading.grade.resolve``), the app's
plots and the validator all come here. It imports only the standard library (and
:mod:`tutor.suggest` for its "did you mean"), so a check pays nothing for it.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from tutor.suggest import hint


class ResolveError(ValueError):
    """A dotted path that does not import or does not name anything."""


def add_python_path(python_path: Path | None) -> None:
    """Put a course's own Python folder on ``sys.path`` (after everything else, so it shadows nothing)."""
    if python_path is not None and str(python_path) not in sys.path:
        sys.path.append(str(python_path))


def resolve(dotted: str, python_path: Path | None = None) -> Any:
    """The object ``dotted`` names: its first part imported, then each next part an attribute or
    a submodule (as :func:`pkgutil.resolve_name` does).

    ``resolve("tutor.core.experiments.gd_variants")`` imports ``tutor.core.experiments`` and returns
    its ``gd_variants``; ``resolve("tutor.core.optimizers")`` returns the module.
    """
    add_python_path(python_path)
    parts = dotted.split(".")
    obj: Any = _import(parts[0])
    for j in range(1, len(parts)):
        attr, prefix = parts[j], ".".join(parts[:j])
        if hasattr(obj, attr):
            obj = getattr(obj, attr)
            continue
        if isinstance(obj, ModuleType):
            sub = _import(f"{prefix}.{attr}", missing_ok=True)
            if sub is not None:
                obj = sub
                continue
        options = [n for n in dir(obj) if not n.startswith("_")]
        raise ResolveError(f"{prefix} has no {attr}{hint(attr, options)}")
    return obj


def _import(name: str, missing_ok: bool = False) -> Any:
    """Import module ``name``; None if it does not exist and ``missing_ok``; errors become ResolveError."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            if missing_ok:
                return None
            raise ResolveError(f"no module named {name}") from None
        raise ResolveError(f"importing {name} failed: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any error while importing lesson code is reported
        raise ResolveError(f"importing {name} failed: {type(exc).__name__}: {exc}") from None
