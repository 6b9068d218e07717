"""Module attributes imported on first use (PEP 562's module ``__getattr__``), shared by the packages whose
public names load lazily."""

from __future__ import annotations

import importlib
import sys


def load(module: str, where: str | None, name: str) -> object:
    """Import ``name`` for ``module`` from ``where`` (``"package.module"`` or ``"package.module:attribute"``),
    keep it in ``module``'s namespace so later look-ups skip this, and return it; AttributeError when
    ``where`` is None (``module`` has no such name)."""
    if where is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    source, _, attr = where.partition(":")
    value = getattr(importlib.import_module(source), attr or name)
    setattr(sys.modules[module], name, value)
    return value
