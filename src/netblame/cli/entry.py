"""The ``netblame`` program (the console script and ``python -m netblame``)."""

from __future__ import annotations

from typing import NoReturn


def main() -> NoReturn:
    """Run ``netblame`` with ``sys.argv``."""
    from netblame.cli.main import main as run

    run()
