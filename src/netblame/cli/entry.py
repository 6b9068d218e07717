"""The ``netblame`` program: answers ``--help`` and ``--version`` without importing click or any command
(they are what people run first and most), and hands everything else to :func:`netblame.cli.main.main`."""

from __future__ import annotations

import sys
from typing import NoReturn


def main() -> NoReturn:
    """Run ``netblame`` with ``sys.argv``."""
    args = sys.argv[1:]
    if args in (["--help"], ["-h"]):
        import shutil

        from netblame.cli.commands import top_help

        sys.stdout.write(top_help(shutil.get_terminal_size().columns))
        sys.exit(0)
    if args == ["--version"]:
        from netblame import __version__

        sys.stdout.write(f"netblame, version {__version__}\n")
        sys.exit(0)
    from netblame.cli.main import main as run

    run()
