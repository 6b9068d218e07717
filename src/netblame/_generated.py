"""The command-line entry shared by the modules that generate a page of docs from code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def write_page(argv: list[str], render: Callable[[], str], usage: str) -> int:
    """Write ``render()`` to the one path in ``argv``; 2 with a usage line otherwise."""
    if len(argv) != 1:
        print(f"usage: {usage}", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(render(), encoding="utf-8")
    return 0
