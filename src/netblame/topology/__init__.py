"""The graph that maps and reports draw: nodes as boxes, namespaces nested in them, devices as ports,
veth pairs, bridge ports, tunnels, the LAN and BGP as links, with findings and traces placed on it.

Pure: a function of a snapshot, findings and traces. ``levels`` cuts it into the three views
(cluster, node, path); ``layout`` gives every vertex a position so a browser never lays out a big graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from netblame._gc import gc_paused
from netblame.topology.model import Edge, Mark, PathHop, Topology, TracePath, Vertex

if TYPE_CHECKING:  # the graph's own imports wait until one is built: the terminal tree needs none of them
    from netblame.dataplane.verdict import TraceReport
    from netblame.findings import Finding
    from netblame.model.snapshot import Snapshot


def topology(snapshot: Snapshot, findings: Iterable[Finding] = (),
             traces: Sequence[tuple[str, TraceReport]] = (), title: str = "") -> Topology:
    """The graph of ``snapshot`` with ``findings`` and the named ``traces`` placed on it.

    The cyclic collector is paused while it is built: a cluster's graph is a million small objects
    without cycles, which the collector would otherwise scan again and again for nothing."""
    with gc_paused():
        return _topology(snapshot, findings, traces, title)


def _topology(snapshot: Snapshot, findings: Iterable[Finding], traces: Sequence[tuple[str, TraceReport]],
              title: str) -> Topology:
    from netblame.topology.attach import place_findings, place_trace
    from netblame.topology.build import build_topology

    vertices, edges = build_topology(snapshot)
    ids = {v.id for v in vertices}
    marks = place_findings(snapshot, findings, ids)
    paths = tuple(place_trace(name, answer, ids, edges) for name, answer in traces)
    return Topology(vertices=tuple(vertices), edges=tuple(edges), marks=tuple(marks), traces=paths, title=title)


__all__ = ["Edge", "Mark", "PathHop", "Topology", "TracePath", "Vertex", "topology"]
