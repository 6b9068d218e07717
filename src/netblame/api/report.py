"""``netblame report`` and ``netblame map`` as library calls: find a snapshot (a file, this machine or a
lab, read-only), put findings, topology, traces, plan, DNS chain and hand-off together, and write pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netblame.checks import Registry
    from netblame.model.snapshot import Snapshot
    from netblame.summary import Summary
    from netblame.topology import Topology

__all__ = ["map_topology", "map_tree", "report_summary", "snapshot_of", "write_page"]


def snapshot_of(snapshot_file: str | None, lab: str | None) -> Snapshot:
    """The snapshot in ``snapshot_file``; else collected (read-only) from lab ``lab`` or, when None, this machine."""
    if snapshot_file is not None:
        from netblame.sources.snapshot import load_snapshot  # as netblame.api.snapshot, without its writer

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


def _registry(findings: bool) -> Registry | None:
    """Every rule (None) when the map shows findings, else an empty registry."""
    from netblame.checks import Registry

    return None if findings else Registry()


def map_topology(paths: Sequence[str], *, snapshot: Snapshot, traces: Sequence[tuple[str, str]], title: str,
                 findings: bool) -> Topology:
    """What the map draws: the graph with the traces, and the findings only when ``findings``."""
    from netblame.summary import draw

    return draw(paths, snapshot=snapshot, traces=traces, title=title, registry=_registry(findings))


def map_tree(paths: Sequence[str], *, snapshot: Snapshot, traces: Sequence[tuple[str, str]], findings: bool,
             node: str | None) -> str:
    """The map as the terminal tree, written straight from the snapshot (no graph is built)."""
    if not findings and not traces:  # drawing only: no rule runs, no packet is traced, and PATHS go unread
        from netblame.topology.tree import tree_text

        return tree_text(snapshot, (), node)
    from netblame.summary import draw_tree

    return draw_tree(paths, snapshot=snapshot, traces=traces, registry=_registry(findings), node=node)


def write_page(text: str, out: str) -> None:
    """Write ``text`` whole to ``out``: a regular file is replaced atomically (never half-written), a device
    or FIFO (``/dev/null``) is written through, never replaced."""
    from netblame._io import write_output

    write_output(text.encode(), out, perms=0o644)
