"""``netblame report`` and ``netblame map`` as library calls: find a snapshot (a file, this machine or a
lab, read-only), put findings, topology, traces, plan, DNS chain and hand-off together, and write pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netblame.model.snapshot import Snapshot
    from netblame.summary import Summary

__all__ = ["map_summary", "report_summary", "snapshot_of", "write_page"]


def snapshot_of(snapshot_file: str | None, lab: str | None) -> Snapshot:
    """The snapshot in ``snapshot_file``; else collected (read-only) from lab ``lab`` or, when None, this machine."""
    if snapshot_file is not None:
        from netblame.api.snapshot import load_snapshot

        return load_snapshot(snapshot_file)
    from netblame.api.collect import collect

    return collect(lab=lab)


def report_summary(paths: Sequence[str], *, snapshot: Snapshot | None, root: str | None,
                   traces: Sequence[tuple[str, str]], title: str) -> Summary:
    """Everything the report shows; ``root`` is a node's file tree whose DNS chain is read."""
    from netblame.summary import summarize

    dns = None
    if root is not None:
        from netblame.live.dns_tree import read_tree

        dns = read_tree(root)
    return summarize(paths, snapshot=snapshot, dns=dns, traces=traces, title=title)


def map_summary(paths: Sequence[str], *, snapshot: Snapshot, traces: Sequence[tuple[str, str]], title: str,
                findings: bool) -> Summary:
    """What the map shows: the topology and traces, with the findings only when ``findings``."""
    from netblame.checks import Registry
    from netblame.summary import summarize

    return summarize(paths, snapshot=snapshot, traces=traces, title=title, registry=None if findings else Registry())


def write_page(text: str, out: str) -> None:
    """Write ``text`` whole to ``out``: a regular file is replaced atomically (never half-written), a device
    or FIFO (``/dev/null``) is written through, never replaced."""
    from netblame._io import write_output

    write_output(text.encode(), out, perms=0o644)
