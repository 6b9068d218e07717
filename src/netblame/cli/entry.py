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
        from netblame.exit_codes import OK

        sys.stdout.write(top_help(shutil.get_terminal_size().columns))
        sys.exit(OK)
    if args == ["--version"]:
        from netblame import __version__
        from netblame.exit_codes import OK

        sys.stdout.write(f"netblame, version {__version__}\n")
        sys.exit(OK)
    from netblame.cli.main import main as run

    run()
