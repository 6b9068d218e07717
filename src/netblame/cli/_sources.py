"""Where ``map`` and ``report`` get a snapshot: a file, this machine, or a lab (read-only)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from netblame.cli._output import say
from netblame.cli._usage import CommandUsageError
from netblame.cli.parsing import Parser, path

if TYPE_CHECKING:
    from netblame import Snapshot


def snapshot_from(snapshot_file: str | None, live: bool, lab: str | None, *, required: bool) -> Snapshot | None:
    """The snapshot asked for with ``--snapshot FILE``, ``--live`` or ``--lab NAME`` (at most one)."""
    given = (snapshot_file is not None) + live + (lab is not None)
    if given > 1:
        raise CommandUsageError("give one of --snapshot FILE, --live or --lab NAME")
    if given == 0:
        if required:
            raise CommandUsageError("give --snapshot FILE, --live or --lab NAME")
        return None
    from netblame.api.report import snapshot_of

    return snapshot_of(snapshot_file, lab)


def snapshot_options(parser: Parser) -> None:
    """``--snapshot FILE``, ``--live``, ``--lab NAME``."""
    parser.option("--snapshot", dest="snapshot_file", metavar="FILE", value=path(dir_okay=False),
                  help="A snapshot file from `netblame collect`.")
    parser.flag("--live", help="Collect this machine's namespaces (read-only; needs root).")
    parser.option("--lab", metavar="NAME", help="Collect lab NAME's namespaces (read-only).")


def trace_option(parser: Parser, help: str) -> None:
    """``--trace SRC DST``, repeatable."""
    parser.option("--trace", dest="traces", nargs=2, repeat=True, metavar="SRC DST", help=help)


def out_option(parser: Parser) -> None:
    """``--out FILE``."""
    parser.option("--out", metavar="FILE", value=path(dir_okay=False), help="Write to FILE instead of standard output.")


def write_out(text: str, out: str | None) -> None:
    """``text`` to stdout, or written whole to ``out``: a regular file is replaced atomically (never
    half-written), a device or FIFO (``--out /dev/null``) is written through, never replaced."""
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from netblame.api.report import write_page

    write_page(text, out)
    say(f"netblame: wrote {out}")
