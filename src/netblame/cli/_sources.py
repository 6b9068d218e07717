"""Where ``map`` and ``report`` get a snapshot: a file, this machine, or a lab (read-only)."""

from __future__ import annotations

import click

from netblame.model.snapshot import Snapshot


def snapshot_from(snapshot_file: str | None, live: bool, lab: str | None, *, required: bool) -> Snapshot | None:
    """The snapshot asked for with ``--snapshot FILE``, ``--live`` or ``--lab NAME`` (at most one)."""
    given = (snapshot_file is not None) + live + (lab is not None)
    if given > 1:
        raise click.UsageError("give one of --snapshot FILE, --live or --lab NAME")
    if given == 0:
        if required:
            raise click.UsageError("give --snapshot FILE, --live or --lab NAME")
        return None
    if snapshot_file is not None:
        from netblame.sources.snapshot import load_snapshot

        return load_snapshot(snapshot_file)
    from netblame.live.run import collect_snapshot

    snapshot, _ = collect_snapshot(lab=lab)
    return snapshot


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
    from netblame._io import write_output

    write_output(text.encode(), out, perms=0o644)
    click.echo(f"netblame: wrote {out}", err=True)
