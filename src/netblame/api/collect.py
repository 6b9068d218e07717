"""``netblame collect`` as a library call: a snapshot of this machine's namespaces, of a lab's, or of an
offline capture."""

from __future__ import annotations

from collections.abc import Callable

from netblame.live.run import collect_snapshot
from netblame.model.snapshot import Snapshot


def collect(*, lab: str | None = None, import_from: str | None = None, node_name: str | None = None,
            workers: int = 4, progress: Callable[[str], None] | None = None,
            warn: Callable[[str], None] | None = None) -> Snapshot:
    """Collect read-only: every network namespace of this machine (or only lab ``lab``'s, grouped into
    its nodes), or the offline capture in ``import_from`` (docs/offline-capture.md). What could not be
    read about a namespace is in its ``errors``; what could not be read about the machine goes to
    ``warn``. Raises :class:`~netblame.errors.CollectError` when nothing can be collected."""
    snapshot, problems = collect_snapshot(lab=lab, import_from=import_from, node_name=node_name, workers=workers,
                                          progress=progress)
    for problem in problems:
        if warn is not None:
            warn(problem)
    return snapshot
