"""Resolving the dotted paths that lessons name (experiments, references, case generators, mistakes).

Only done when a path is used (a plot drawn, a check run) or by ``tutor validate``; never when the
course is loaded, because importing ``tutor.core`` imports NumPy.

A course folder may bring its own Python (``python: <folder>`` in course.yaml, kept as
``Course.python_path``): that folder is appended to ``sys.path`` here, the first time one of the
course's paths is resolved. Importing it runs its code: a course folder is trusted like any program
you run.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from tutor.course.schema import did_you_mean


class ResolveError(ValueError):
    """A dotted path that does not import or does not name anything."""


def add_python_path(python_path: Path | None) -> None:
    """Put a course's own Python folder on ``sys.path`` (after everything else, so it shadows nothing)."""
    if python_path is not None and str(python_path) not in sys.path:
        sys.path.append(str(python_path))


def resolve(dotted: str, python_path: Path | None = None) -> Any:
    """The object ``dotted`` names: the longest importable module prefix, then attributes.

    ``resolve("tutor.core.experiments.gd_variants")`` imports ``tutor.core.experiments`` and returns
    its ``gd_variants``; ``resolve("tutor.core.optimizers")`` returns the module.
    """
    add_python_path(python_path)
    parts = dotted.split(".")
    module = None
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # only "this prefix does not exist" means: try a shorter one
            if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
                continue
            raise ResolveError(f"importing {name} failed: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - any error while importing lesson code is reported
            raise ResolveError(f"importing {name} failed: {type(exc).__name__}: {exc}") from None
        break
    if module is None:
        raise ResolveError(f"no module named {parts[0]}")
    obj: Any = module
    for j in range(i, len(parts)):
        attr = parts[j]
        if not hasattr(obj, attr):
            where = ".".join(parts[:j])
            options = [n for n in dir(obj) if not n.startswith("_")]
            raise ResolveError(f"{where} has no {attr}{did_you_mean(attr, options)}")
        obj = getattr(obj, attr)
    return obj
