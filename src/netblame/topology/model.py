"""The topology graph, as data: vertices (boxes and ports), edges (links), and what marks them.

A vertex is a machine (``node``), a namespace inside it, a device (a port of its namespace), or a piece
of the physical side (``fabric``: a LAN, a switch, a router). Vertices nest through ``parent``: a device
sits in its namespace, a namespace in its node. Ids are stable strings built from the snapshot's own
names (``dev:<namespace id>:<device>``), so a trace's hops and a finding's location map onto them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

VertexKind = Literal["fabric", "node", "namespace", "device", "pods"]
EdgeKind = Literal["veth", "port", "tunnel", "lan", "bgp"]


@dataclass(frozen=True, slots=True)
class Vertex:
    """A box or a port. ``node`` names the machine it belongs to ('' for the physical side);
    ``details`` are what a reader asks about (addresses, routes, MTU, peer) as label/value pairs."""

    id: str
    kind: VertexKind
    label: str
    parent: str | None = None
    node: str = ""
    role: str = ""
    pod: str | None = None
    details: tuple[tuple[str, str], ...] = ()
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edge:
    """A link between two vertices: a veth pair, a bridge port, a tunnel over the underlay, a LAN
    attachment, or a BGP session. Undirected; ``source`` < ``target`` is not promised."""

    id: str
    kind: EdgeKind
    source: str
    target: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Mark:
    """A finding placed on the graph: the rule, its severity and words, and the vertex it concerns."""

    rule: str
    severity: str
    title: str
    message: str
    fix: str
    vertex: str
    where: str


@dataclass(frozen=True, slots=True)
class PathHop:
    """One hop of a trace on the graph: the namespace visited and the device vertices crossed there.
    ``nat`` holds the address translations made in this hop (kube-proxy's DNAT, a masquerade), and
    ``stop`` says why the packet went no further when this hop ended the trace without delivering it:
    the filter rule that dropped or rejected it (FILTERED), or what the model does not simulate."""

    namespace: str
    label: str
    node: str
    vertices: tuple[str, ...]
    steps: tuple[str, ...]
    dropped: bool = False
    nat: tuple[str, ...] = ()
    stop: str = ""


@dataclass(frozen=True, slots=True)
class TracePath:
    """A traced packet drawn on the graph: its question, verdict, explanation, hops, and the edges
    between consecutive devices that the graph has (a hop across a veth or a tunnel)."""

    name: str
    src: str
    dst: str
    disposition: str
    delivered: bool
    explanation: str
    hops: tuple[PathHop, ...]
    edges: tuple[str, ...] = ()

    @property
    def vertices(self) -> tuple[str, ...]:
        """Every device vertex crossed, in order (a device crossed twice appears twice)."""
        return tuple(v for hop in self.hops for v in hop.vertices)


@dataclass(frozen=True, slots=True)
class Topology:
    """The whole graph of a snapshot, with findings and traces placed on it."""

    vertices: tuple[Vertex, ...]
    edges: tuple[Edge, ...]
    marks: tuple[Mark, ...] = ()
    traces: tuple[TracePath, ...] = ()
    title: str = ""
    _index: dict[str, Vertex] = field(default_factory=dict, compare=False, repr=False)
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)  # derived indexes

    def vertex(self, vid: str) -> Vertex | None:
        """The vertex with id ``vid``, or None."""
        if not self._index:
            self._index.update((v.id, v) for v in self.vertices)
        return self._index.get(vid)

    def children(self) -> dict[str | None, list[Vertex]]:
        """Vertices grouped by parent id (None: top level), in graph order."""
        out: dict[str | None, list[Vertex]] = {}
        for v in self.vertices:
            out.setdefault(v.parent, []).append(v)
        return out

    def machines(self) -> list[Vertex]:
        """The node boxes, in snapshot order."""
        return [v for v in self.vertices if v.kind == "node"]


def dev_id(namespace: str, device: str) -> str:
    """The id of device ``device`` in namespace ``namespace``."""
    return f"dev:{namespace}:{device}"


def ns_id(namespace: str) -> str:
    """The id of namespace ``namespace``."""
    return f"ns:{namespace}"


def node_id(name: str) -> str:
    """The id of the box of node ``name``."""
    return f"node:{name}"
