"""``netblame map`` in the terminal: one tree per node, 80 columns wide.

Each device line shows its kind, addresses and MTU and what it links to (veth peer, tunnel ends);
bridge ports hang under their bridge, pods under the host-side veth that leads to them. Findings are
printed under the device, namespace or node they concern. This draws a built graph; the command itself
writes the same lines straight from the snapshot (:func:`netblame.topology.tree.tree_text`).
"""

from __future__ import annotations

from netblame.topology.model import Edge, Topology, Vertex
from netblame.topology.tree import WIDTH
from netblame.topology.tree import fit as _fit

__all__ = ["WIDTH", "render_map_text"]


class _Tree:
    def __init__(self, topo: Topology) -> None:
        self.topo = topo
        self.kids = topo.children()
        self.links: dict[str, list[tuple[Edge, str]]] = {}
        for e in topo.edges:
            self.links.setdefault(e.source, []).append((e, e.target))
            self.links.setdefault(e.target, []).append((e, e.source))
        self.marks: dict[str, list[str]] = {}
        for m in topo.marks:
            if m.vertex:
                self.marks.setdefault(m.vertex, []).append(f"! {m.severity} {m.rule}: {m.title}")
        self.lines: list[str] = []

    def name(self, vid: str) -> str:
        v = self.topo.vertex(vid)
        if v is None:
            return vid
        if v.kind == "device" and v.parent:
            ns = self.topo.vertex(v.parent)
            return f"{ns.label if ns else v.parent}:{v.label}"
        return v.label

    def far(self, vid: str) -> str:
        """``node (device)`` for the far end of a tunnel or session."""
        v = self.topo.vertex(vid)
        return vid if v is None else f"{v.node} ({v.label})"

    def device_line(self, v: Vertex) -> str:
        d = dict(v.details)
        parts = [v.label, d.get("kind", v.role)]
        parts.extend(a for a in v.addresses)
        parts.append(f"mtu {d.get('MTU', '?')}")
        for e, other in self.links.get(v.id, []):
            if e.kind == "veth":
                parts.append(f"<-> {self.name(other)}")
            elif e.kind == "lan":
                parts.append(f"-- {self.name(other)}")
        return "  ".join(parts)

    def emit(self, prefix: str, last: bool, text: str) -> str:
        self.lines.append(_fit(f"{prefix}{'`- ' if last else '|- '}{text}"))
        return prefix + ("   " if last else "|  ")

    def namespace(self, ns: Vertex, prefix: str, last: bool, pods: dict[str, Vertex]) -> None:
        sub = self.emit(prefix, last, f"netns {ns.label} ({ns.role})")
        peers = [self.far(o) for e, o in self.links.get(ns.id, []) if e.kind == "bgp"]
        if peers:
            more = f" and {len(peers) - 4} more" if len(peers) > 4 else ""
            self.lines.append(_fit(f"{sub}   BGP with {', '.join(peers[:4])}{more}"))
        for text in self.marks.get(ns.id, []):
            self.lines.append(_fit(f"{sub}{text}"))
        devices = self.kids.get(ns.id, [])
        ports = {v.id for v in devices if dict(v.details).get("master")}
        top = [v for v in devices if v.id not in ports]
        for i, dev in enumerate(top):
            self.device(dev, sub, i == len(top) - 1, devices, pods)

    def device(self, dev: Vertex, prefix: str, last: bool, siblings: list[Vertex], pods: dict[str, Vertex]) -> None:
        sub = self.emit(prefix, last, self.device_line(dev))
        ends = [self.far(o) for e, o in self.links.get(dev.id, []) if e.kind == "tunnel"]
        if ends:
            more = f" and {len(ends) - 4} more" if len(ends) > 4 else ""
            self.lines.append(_fit(f"{sub}   tunnel to {', '.join(ends[:4])}{more}"))
        for text in self.marks.get(dev.id, []):
            self.lines.append(_fit(f"{sub}{text}"))
        members = [v for v in siblings if dict(v.details).get("master") == dev.label]
        for i, port in enumerate(members):
            self.device(port, sub, i == len(members) - 1, [], pods)
        for e, other in self.links.get(dev.id, []):
            if e.kind == "veth" and other in pods:
                pod_dev = self.topo.vertex(other)
                if pod_dev is not None:
                    self.lines.append(_fit(f"{sub}   pod {pods[other].label}: "
                                           f"{pod_dev.label} {' '.join(pod_dev.addresses)}"))

    def node(self, box: Vertex) -> None:
        d = [f"{k} {v}" for k, v in box.details]
        self.lines.append(_fit(f"{'node' if box.kind == 'node' else 'network'} {box.label}"
                               + (f"  ({', '.join(d)})" if d else "")))
        for text in self.marks.get(box.id, []):
            self.lines.append(_fit(f"   {text}"))
        namespaces = self.kids.get(box.id, [])
        pods: dict[str, Vertex] = {}
        for ns in namespaces:
            if ns.role == "pod":
                for dev in self.kids.get(ns.id, []):
                    pods[dev.id] = ns
        shown = [ns for ns in namespaces if ns.role != "pod"]
        for i, ns in enumerate(shown):
            self.namespace(ns, "", i == len(shown) - 1, pods)
        self.lines.append("")


def render_map_text(topo: Topology, node: str | None = None) -> str:
    """The trees of every node (or of node ``node``), the physical side first."""
    tree = _Tree(topo)
    for v in tree.kids.get(None, []):
        if node is not None and v.node != node:
            continue
        if v.kind in ("node", "fabric") and v.id.startswith("node:"):
            tree.node(v)
        elif v.kind == "fabric":
            links = ", ".join(tree.name(o) for _, o in tree.links.get(v.id, []))
            tree.lines.append(_fit(f"{v.label}: {links}"))
    if tree.lines and tree.lines[-1]:
        tree.lines.append("")
    return "\n".join(tree.lines)
