"""Where ``map`` and ``report`` get a snapshot: a file, this machine, or a lab (read-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from netblame import Snapshot


def snapshot_from(snapshot_file: str | None, live: bool, lab: str | None, *, required: bool) -> Snapshot | None:
    """The snapshot asked for with ``--snapshot FILE``, ``--live`` or ``--lab NAME`` (at most one)."""
    given = (snapshot_file is not None) + live + (lab is not None)
    if given > 1:
        raise click.UsageError("give one of --snapshot FILE, --live or --lab NAME")
    if given == 0:
        if required:
            raise click.UsageError("give --snapshot FILE, --live or --lab NAME")
        return None
    from netblame.api.report import snapshot_of

    return snapshot_of(snapshot_file, lab)


def snapshot_options(f: click.decorators.FC) -> click.decorators.FC:
    """``--snapshot FILE``, ``--live``, ``--lab NAME``."""
    f = click.option("--lab", metavar="NAME", help="Collect lab NAME's namespaces (read-only).")(f)
    f = click.option("--live", is_flag=True, help="Collect this machine's namespaces (read-only; needs root).")(f)
    return click.option("--snapshot", "snapshot_file", metavar="FILE",
                        type=click.Path(dir_okay=False, path_type=str),
                        help="A snapshot file from `netblame collect`.")(f)


def write_out(text: str, out: str | None) -> None:
    """``text`` to stdout, or written whole to ``out``: a regular file is replaced atomically (never
    half-written), a device or FIFO (``--out /dev/null``) is written through, never replaced."""
    if out is None:
        click.echo(text, nl=False)
        return
    from netblame.api.report import write_page

    write_page(text, out)
    click.echo(f"netblame: wrote {out}", err=True)
