"""The terminal tree of a snapshot (``netblame map``), written straight from the snapshot.

The same lines as :func:`netblame.render.map_text.render_map_text` draws from the whole graph, without
building that graph: only the links the tree prints (veth pairs, tunnels, BGP sessions, the LAN) are
found, and each device is read where the snapshot holds it. A cluster of thousands of nodes prints in
about the time its snapshot takes to load.
"""

from __future__ import annotations

from collections.abc import Iterable

from netblame.findings import Finding
from netblame.model.snapshot import Link, Namespace, Node, Snapshot
from netblame.topology.attach import place_findings
from netblame.topology.build import _Builder
from netblame.topology.model import Mark, dev_id, node_id, ns_id

WIDTH = 80


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` cut to ``width`` columns, ending in ``...`` when cut."""
    return text if len(text) <= width else text[: width - 3] + "..."


class _Walk:
    """The snapshot indexed for the tree: labels of namespaces and devices, and the printed links."""

    def __init__(self, snapshot: Snapshot) -> None:
        b = _Builder(snapshot)
        self.ns_label: dict[str, tuple[str, str]] = {}  # namespace vertex id -> (label, node)
        self.dev: dict[str, tuple[str, str]] = {}  # device vertex id -> (namespace vertex id, device name)
        self.devs: dict[str, list[tuple[Link, str]]] = {}  # namespace id -> its devices and their vertex ids
        pairs: list[tuple[str, str]] = []  # (device, the veth peer it names), in snapshot order
        for node in snapshot.nodes:
            for ns in node.namespaces:
                vid = ns_id(ns.id)
                self.ns_label[vid] = (b.label_of[ns.id], node.name)
                devs = self.devs[ns.id] = []
                for lk in ns.links:
                    if lk.kind != "loopback":
                        did = dev_id(ns.id, lk.name)
                        devs.append((lk, did))
                        self.dev[did] = (vid, lk.name)
                        if lk.peer is not None:
                            pairs.append((did, dev_id(lk.peer.namespace, lk.peer.ifname)))
                b.index(ns, devs)
        b.tunnels()
        b.bgp()
        b.fabric()
        self.fabric = b.vertices
        self.fabric_label = {v.id: v.label for v in b.vertices}
        self.ids = {*self.dev, *self.ns_label, *self.fabric_label, *(node_id(n.name) for n in snapshot.nodes)}
        # veth pairs first, as the graph orders its edges (each pair once, whichever end names the other)
        self.links: dict[str, list[tuple[str, str]]] = {}
        for a, z in pairs:
            if a != z and z in self.dev and ("veth", z) not in self.links.get(a, ()):
                self._link("veth", a, z)
        for e in b.edges.values():
            if e.source in self.ids and e.target in self.ids:
                self._link(e.kind, e.source, e.target)

    def _link(self, kind: str, a: str, z: str) -> None:
        self.links.setdefault(a, []).append((kind, z))
        self.links.setdefault(z, []).append((kind, a))

    def name(self, vid: str) -> str:
        dev = self.dev.get(vid)
        if dev is not None:
            return f"{self.ns_label[dev[0]][0]}:{dev[1]}"
        ns = self.ns_label.get(vid)
        return ns[0] if ns is not None else self.fabric_label.get(vid, vid)

    def far(self, vid: str) -> str:
        """``node (device)`` for the far end of a tunnel or session."""
        dev = self.dev.get(vid)
        if dev is not None:
            return f"{self.ns_label[dev[0]][1]} ({dev[1]})"
        label, node = self.ns_label[vid]
        return f"{node} ({label})"


class _Tree:
    def __init__(self, walk: _Walk, marks: Iterable[Mark]) -> None:
        self.walk = walk
        self.marks: dict[str, list[str]] = {}
        for m in marks:
            if m.vertex:
                self.marks.setdefault(m.vertex, []).append(f"! {m.severity} {m.rule}: {m.title}")
        self.lines: list[str] = []

    def add(self, prefix: str, last: bool, text: str) -> str:
        self.lines.append(fit(f"{prefix}{'`- ' if last else '|- '}{text}"))
        return prefix + ("   " if last else "|  ")

    def box(self, node: Node) -> None:
        d = [f"pod range {c}" for c in node.pod_cidrs]
        if node.role == "node":
            d.append(f"pods {sum(1 for ns in node.namespaces if ns.role == 'pod')}")
        self.lines.append(fit(f"{'node' if node.role == 'node' else 'network'} {node.name}"
                              + (f"  ({', '.join(d)})" if d else "")))
        self.lines.extend(fit(f"   {t}") for t in self.marks.get(node_id(node.name), []))
        pods: dict[str, tuple[str, tuple[str, ...]]] = {}  # pod device -> (pod, its addresses)
        for ns in node.namespaces:
            if ns.role == "pod":
                label, addrs = self.walk.ns_label[ns_id(ns.id)][0], _addresses(ns)
                for lk, did in self.walk.devs[ns.id]:
                    pods[did] = (label, addrs.get(lk.name, ()))
        shown = [ns for ns in node.namespaces if ns.role != "pod"]
        for i, ns in enumerate(shown):
            self.netns(ns, i == len(shown) - 1, pods)
        self.lines.append("")

    def netns(self, ns: Namespace, last: bool, pods: dict[str, tuple[str, tuple[str, ...]]]) -> None:
        vid = ns_id(ns.id)
        sub = self.add("", last, f"netns {self.walk.ns_label[vid][0]} ({ns.role})")
        peers = [self.walk.far(o) for k, o in self.walk.links.get(vid, []) if k == "bgp"]
        if peers:
            more = f" and {len(peers) - 4} more" if len(peers) > 4 else ""
            self.lines.append(fit(f"{sub}   BGP with {', '.join(peers[:4])}{more}"))
        self.lines.extend(fit(f"{sub}{t}") for t in self.marks.get(vid, []))
        devices = self.walk.devs[ns.id]
        top = [d for d in devices if not d[0].master]
        addrs = _addresses(ns)
        for i, dev in enumerate(top):
            self.port(dev, addrs, sub, i == len(top) - 1, devices, pods)

    def port(self, dev: tuple[Link, str], addrs: dict[str, tuple[str, ...]], prefix: str, last: bool,
             siblings: list[tuple[Link, str]], pods: dict[str, tuple[str, tuple[str, ...]]]) -> None:
        lk, did = dev
        parts = [lk.name, lk.kind if lk.cni is None else f"{lk.kind} ({lk.cni})", *addrs.get(lk.name, ()),
                 f"mtu {lk.mtu}"]
        ends: list[str] = []
        held: list[str] = []
        for k, o in self.walk.links.get(did, ()):
            if k == "veth":
                parts.append(f"<-> {self.walk.name(o)}")
                pod = pods.get(o)
                if pod is not None:
                    held.append(f"pod {pod[0]}: {self.walk.dev[o][1]} {' '.join(pod[1])}")
            elif k == "lan":
                parts.append(f"-- {self.walk.name(o)}")
            elif k == "tunnel":
                ends.append(self.walk.far(o))
        sub = self.add(prefix, last, "  ".join(parts))
        if ends:
            more = f" and {len(ends) - 4} more" if len(ends) > 4 else ""
            self.lines.append(fit(f"{sub}   tunnel to {', '.join(ends[:4])}{more}"))
        self.lines.extend(fit(f"{sub}{t}") for t in self.marks.get(did, ()))
        if siblings:
            members = [m for m in siblings if m[0].master == lk.name]
            for i, m in enumerate(members):
                self.port(m, addrs, sub, i == len(members) - 1, [], pods)
        self.lines.extend(fit(f"{sub}   {t}") for t in held)


def _addresses(ns: Namespace) -> dict[str, tuple[str, ...]]:
    """Each device's addresses but its link-local IPv6 ones, as the graph's devices carry them."""
    out: dict[str, list[str]] = {}
    for a in ns.addresses:
        if not a.address.startswith("fe80:"):
            out.setdefault(a.dev, []).append(a.address)
    return {dev: tuple(addrs) for dev, addrs in out.items()}


def tree_text(snapshot: Snapshot, findings: Iterable[Finding] = (), node: str | None = None) -> str:
    """The trees of every node of ``snapshot`` (or of node ``node``), the physical side after them,
    with ``findings`` under the devices (or boxes) they concern."""
    walk = _Walk(snapshot)
    tree = _Tree(walk, place_findings(snapshot, findings, walk.ids))
    for box in snapshot.nodes:
        if node is None or box.name == node:
            tree.box(box)
    if node is None:
        for v in tree.walk.fabric:
            links = ", ".join(tree.walk.name(o) for _, o in tree.walk.links.get(v.id, []))
            tree.lines.append(fit(f"{v.label}: {links}"))
    if tree.lines and tree.lines[-1]:
        tree.lines.append("")
    return "\n".join(tree.lines)
