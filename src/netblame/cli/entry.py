"""The ``netblame`` program (the console script and ``python -m netblame``)."""

from __future__ import annotations

TYPE_CHECKING = False  # as in netblame/__init__.py: typing is not imported for --help
if TYPE_CHECKING:
    from typing import NoReturn


def main() -> NoReturn:
    """Run ``netblame`` with ``sys.argv``."""
    from netblame.cli.main import main as run

    run()
