"""The three levels a reader moves between, each a self-contained view with positions:

- cluster: the physical side and every node box with its own devices; each node's pods fold into one
  box (``N pods``) until the node is opened. Past ``GROUP_SIZE`` nodes the nodes themselves fold into
  groups, so the first view stays the same size however big the cluster is.
- node: everything inside one node, pods included, plus the physical side it is attached to.
- path: the devices one trace crossed, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netblame.topology.layout import pack
from netblame.topology.model import Edge, Topology, TracePath, Vertex

GROUP_SIZE = 60
HUB_DEGREE = 64


@dataclass(frozen=True, slots=True)
class View:
    """What one screen shows: vertices (with positions for the leaves) and the edges between them."""

    name: str
    title: str
    vertices: tuple[Vertex, ...]
    edges: tuple[Edge, ...]
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    drill: dict[str, str] = field(default_factory=dict)  # vertex id -> the view it opens


def _index(topo: Topology) -> _Index:
    """The topology's index, built once (the views of a big cluster are cut many times from one graph)."""
    cached = topo.cache.get("levels")
    if not isinstance(cached, _Index):
        cached = _Index(topo)
        topo.cache["levels"] = cached
    return cached


class _Index:
    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self.by_id = {v.id: v for v in topo.vertices}
        self.kids = topo.children()
        self.adj: dict[str, list[Edge]] = {}
        for e in topo.edges:
            self.adj.setdefault(e.source, []).append(e)
            self.adj.setdefault(e.target, []).append(e)
        # a LAN with thousands of nodes: a view of one node must not walk all of the LAN's links, only
        # those to other hubs (a router); its links to the node's own devices are found from the devices
        hubs = {v for v, es in self.adj.items() if len(es) > HUB_DEGREE}
        self.near: dict[str, list[Edge]] = {
            v: ([e for e in es if e.source in hubs and e.target in hubs] if v in hubs else es)
            for v, es in self.adj.items()}

    def subtree(self, vid: str) -> list[Vertex]:
        out, stack = [], [vid]
        while stack:
            cur = stack.pop()
            out.append(self.by_id[cur])
            stack.extend(v.id for v in reversed(self.kids.get(cur, [])))
        return out

    def top(self, vid: str) -> str:
        v = self.by_id[vid]
        while v.parent is not None:
            v = self.by_id[v.parent]
        return v.id


def _fabric_tops(ix: _Index) -> list[str]:
    return [v.id for v in ix.kids.get(None, []) if v.kind == "fabric"]


def _edges_within(ix: _Index, ids: set[str], redirect: dict[str, str]) -> list[Edge]:
    seen: dict[tuple[str, str, str], Edge] = {}
    near = {e.id: e for vid in (*ids, *redirect) for e in ix.near.get(vid, ())}
    for e in near.values():
        a, b = redirect.get(e.source, e.source), redirect.get(e.target, e.target)
        if a in ids and b in ids and a != b:
            lo, hi = sorted((a, b))
            seen.setdefault((e.kind, lo, hi), Edge(id=e.id, kind=e.kind, source=a, target=b, label=e.label))
    return list(seen.values())


def _folded_node(ix: _Index, node: Vertex, keep: list[Vertex], redirect: dict[str, str]) -> None:
    """A node box with its pods folded into one ``pods`` vertex."""
    pods = [v for v in ix.kids.get(node.id, []) if v.kind == "namespace" and v.role == "pod"]
    keep.append(node)
    for v in ix.subtree(node.id)[1:]:
        inside_pod = (v.kind == "namespace" and v.role == "pod") or (
            v.parent is not None and ix.by_id[v.parent].role == "pod")
        if not inside_pod:
            keep.append(v)
    if not pods:
        return
    fold = Vertex(id=f"pods:{node.node}", kind="pods", label=f"{len(pods)} pods", parent=node.id, node=node.node,
                  role="pods", details=(("pods", ", ".join(p.label for p in pods[:20])
                                         + (f" ... and {len(pods) - 20} more" if len(pods) > 20 else "")),))
    keep.append(fold)
    for p in pods:
        redirect[p.id] = fold.id
        for d in ix.kids.get(p.id, []):
            redirect[d.id] = fold.id
    # a host-side veth whose peer is a pod folds into the pods too: it is one per pod
    kept = {v.id for v in keep}
    for e in {e.id: e for p in pods for d in ix.kids.get(p.id, []) for e in ix.adj.get(d.id, ())}.values():
        if e.kind == "veth":
            for a, b in ((e.source, e.target), (e.target, e.source)):
                if redirect.get(b) == fold.id and a in kept:
                    redirect[a] = fold.id
    keep[:] = [v for v in keep if v.id not in redirect]


def cluster_view(topo: Topology, nodes: list[Vertex] | None = None, name: str = "cluster",
                 title: str = "cluster") -> View:
    """Nodes (``nodes``, else all) with pods folded, and the physical side."""
    ix = _index(topo)
    keep: list[Vertex] = []
    for fid in _fabric_tops(ix):
        keep.extend(ix.subtree(fid))
    redirect: dict[str, str] = {}
    for node in nodes if nodes is not None else topo.machines():
        _folded_node(ix, node, keep, redirect)
    ids = {v.id for v in keep}
    edges = _edges_within(ix, ids, redirect)
    drill = {v.id: f"node:{v.node}" for v in keep if v.kind in ("node", "pods")}
    return View(name=name, title=title, vertices=tuple(keep), edges=tuple(edges),
                positions=pack(keep, edges), drill=drill)


def groups(topo: Topology, size: int = GROUP_SIZE) -> list[list[Vertex]]:
    """The node boxes cut into groups of at most ``size``, in snapshot order."""
    machines = topo.machines()
    return [machines[i:i + size] for i in range(0, len(machines), size)] or [[]]


def overview(topo: Topology, size: int = GROUP_SIZE) -> View:
    """The first view: the cluster view when it has at most ``size`` nodes, else one box per group."""
    parts = groups(topo, size)
    if len(parts) == 1:
        return cluster_view(topo)
    ix = _index(topo)
    keep: list[Vertex] = []
    for fid in _fabric_tops(ix):
        keep.extend(ix.subtree(fid))
    fabric_ids = {v.id for v in keep}
    group_edges: dict[tuple[str, str], Edge] = {}
    drill = {}
    for gi, members in enumerate(parts):
        gid = f"group:{gi}"
        pods = sum(int(dict(m.details).get("pods", "0")) for m in members)
        keep.append(Vertex(id=gid, kind="node", label=f"{members[0].label} ... {members[-1].label}",
                           role="group", details=(("nodes", str(len(members))), ("pods", str(pods)),
                                                  ("first", members[0].label), ("last", members[-1].label))))
        drill[gid] = f"group:{gi}"
        for m in members:
            for v in ix.subtree(m.id):
                for e in ix.adj.get(v.id, []):
                    other = e.target if e.source == v.id else e.source
                    if other in fabric_ids or ix.top(other) in fabric_ids:
                        far = other if other in fabric_ids else ix.top(other)
                        group_edges.setdefault((gid, far), Edge(id=f"g{gi}:{far}", kind="lan", source=gid,
                                                                target=far, label=e.kind))
    edges = list(group_edges.values())
    return View(name="cluster", title=f"cluster: {len(topo.machines())} nodes in {len(parts)} groups",
                vertices=tuple(keep), edges=tuple(edges), positions=pack(keep, edges), drill=drill)


def node_view(topo: Topology, node: str) -> View:
    """Everything in node ``node`` and the physical side it is attached to."""
    ix = _index(topo)
    box = next(v for v in topo.machines() if v.node == node)
    keep = ix.subtree(box.id)
    ids = {v.id for v in keep}
    extra: dict[str, None] = {}
    for v in keep:
        for e in ix.adj.get(v.id, []):
            other = e.target if e.source == v.id else e.source
            if other not in ids and ix.by_id[ix.top(other)].kind == "fabric":
                extra[ix.top(other)] = None
    for fid in extra:
        keep.extend(ix.subtree(fid))
    ids = {v.id for v in keep}
    edges = _edges_within(ix, ids, {})
    drill = {f: "cluster" for f in extra}
    return View(name=f"node:{node}", title=f"node {node}", vertices=tuple(keep), edges=tuple(edges),
                positions=pack(keep, edges), drill=drill)


def path_view(topo: Topology, trace: TracePath) -> View:
    """The devices ``trace`` crossed, left to right, each in its namespace box."""
    ix = _index(topo)
    keep: dict[str, Vertex] = {}
    order: list[str] = []
    for hop in trace.hops:
        ns = ix.by_id.get(hop.namespace)
        if ns is not None:
            keep.setdefault(ns.id, Vertex(id=ns.id, kind="namespace", label=f"{ns.label} [{hop.node}]",
                                          node=ns.node, role=ns.role, pod=ns.pod, details=ns.details))
        for vid in hop.vertices:
            if vid not in keep:
                keep[vid] = ix.by_id[vid]
                order.append(vid)
    ids = set(keep)
    edges = _edges_within(ix, ids, {})
    per_row = 6
    positions = {vid: ((i % per_row) * 160.0 if (i // per_row) % 2 == 0 else (per_row - 1 - i % per_row) * 160.0,
                       (i // per_row) * 150.0) for i, vid in enumerate(order)}
    return View(name=f"path:{trace.name}", title=f"trace {trace.src} -> {trace.dst}: {trace.disposition}",
                vertices=tuple(keep.values()), edges=tuple(edges), positions=positions)
