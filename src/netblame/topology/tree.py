"""The terminal tree of a snapshot (``netblame map``), written straight from the snapshot.

The same lines as :func:`netblame.render.map_text.render_map_text` draws from the whole graph, without
building that graph. A cluster of 5,000 nodes holds 310,000 devices, so the tree keeps no entry per
device: a veth's far end is looked up where its ``peer`` says (among its own node's namespaces first),
and the few links the graph builder finds across namespaces (tunnels, BGP sessions, the LAN) come from
:meth:`~netblame.topology.build._Builder.lookups`, which indexes only the addresses those links ask for.
Lines are built with plain string operations and joined once.

A device's veth links are every pair it is an end of, in snapshot order: the peer it names and every
device naming it. In a snapshot as the collector writes it the two are the same device, which the tree
checks by counting: a namespace must be named as a peer as often as its devices' peers name them back.
Where the counts differ (a peer renamed between two reads, a device named by two others, a pod whose
host end is gone), that namespace is written again with every pair in the snapshot listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from netblame.model.snapshot import Link, Namespace, Node, Snapshot
from netblame.topology.build import _Builder

if TYPE_CHECKING:
    from netblame.findings import Finding
    from netblame.topology.model import Mark, Vertex

WIDTH = 80

Far = tuple[Namespace, str]  # the other end of a veth pair: its namespace and its device name


def fit(text: str, width: int = WIDTH) -> str:
    """``text`` cut to ``width`` columns, ending in ``...`` when cut."""
    return text if len(text) <= width else text[: width - 3] + "..."


def _label(ns: Namespace) -> str:
    return ns.pod or ns.name or ns.id


def _device(ns: Namespace, name: str) -> Link | None:
    """The device (not ``lo``) called ``name`` in ``ns``: the first one, as a graph's vertex id names it."""
    for lk in ns.links:
        if lk.name == name and lk.kind != "loopback":
            return lk
    return None


class _Index:
    """The snapshot looked up across nodes: namespaces by id with their node, how often the devices of
    each namespace the tree shows are named as a veth peer, and the tunnels, BGP sessions and LAN links."""

    def __init__(self, snapshot: Snapshot, shown: set[str]) -> None:
        self.snapshot, self.shown = snapshot, shown
        # shown namespace id -> how many devices (not lo) name one of its devices as their veth peer
        self.named = Counter(lk.peer.namespace for node in snapshot.nodes for ns in node.namespaces
                             for lk in ns.links
                             if lk.peer is not None and lk.peer.namespace in shown and lk.kind != "loopback")
        self._pairs: tuple[dict[tuple[str, str], list[tuple[int, str, str]]], ...] | None = None
        b = _Builder(snapshot)
        b.lookups()
        b.tunnels()
        b.bgp()
        b.fabric()
        self.fabric: list[Vertex] = b.vertices
        self.fabric_label = {v.id: v.label for v in b.vertices}
        self.links: dict[str, list[tuple[str, str]]] = {}  # vertex id -> (kind, other end): tunnel, bgp, lan
        self.dev_links: dict[str, dict[str, list[tuple[str, str]]]] = {}  # namespace id -> device -> the same
        for e in b.edges.values():
            if self.exists(e.source) and self.exists(e.target):
                for a, z in ((e.source, e.target), (e.target, e.source)):
                    self.links.setdefault(a, []).append((e.kind, z))
                    if a.startswith("dev:"):
                        ns_part, _, dev = a[4:].rpartition(":")
                        self.dev_links.setdefault(ns_part, {}).setdefault(dev, []).append((e.kind, z))

    @cached_property
    def by_id(self) -> dict[str, Namespace]:
        """Every namespace by id (a veth's far end is first looked for in its own node)."""
        return {ns.id: ns for node in self.snapshot.nodes for ns in node.namespaces}

    @cached_property
    def home(self) -> dict[str, Node]:
        """Every namespace's node, by namespace id."""
        return {ns.id: node for node in self.snapshot.nodes for ns in node.namespaces}

    def exists(self, vid: str) -> bool:
        """Whether the graph has vertex ``vid`` (a device, namespace, node or piece of the physical side)."""
        kind, _, rest = vid.partition(":")
        if kind == "dev":
            ns_part, _, dev = rest.rpartition(":")
            ns = self.by_id.get(ns_part)
            return ns is not None and _device(ns, dev) is not None
        if kind == "ns":
            return rest in self.by_id
        if kind == "node":
            return any(n.name == rest for n in self.snapshot.nodes)
        return vid in self.fabric_label

    def name(self, vid: str) -> str:
        if vid.startswith("dev:"):
            ns_part, _, dev = vid[4:].rpartition(":")
            return f"{_label(self.by_id[ns_part])}:{dev}"
        if vid.startswith("ns:"):
            return _label(self.by_id[vid[3:]])
        return self.fabric_label.get(vid, vid)

    def far(self, vid: str) -> str:
        """``node (device)`` for the far end of a tunnel or session."""
        if vid.startswith("dev:"):
            ns_part, _, dev = vid[4:].rpartition(":")
            return f"{self.home[ns_part].name} ({dev})"
        return f"{self.home[vid[3:]].name} ({_label(self.by_id[vid[3:]])})"

    def all_pairs(self, nid: str, dev: str) -> tuple[Far, ...]:
        """The long way: every pair with device ``dev`` of namespace ``nid`` at one end, in snapshot
        order, each far end once (as the graph keeps one edge per pair of ends)."""
        if self._pairs is None:
            own: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
            naming: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
            order = 0
            for node in self.snapshot.nodes:
                for space in node.namespaces:
                    for lk in space.links:
                        p = lk.peer
                        if p is None or lk.kind == "loopback":
                            continue
                        order += 1
                        if space.id in self.shown:
                            own.setdefault((space.id, lk.name), []).append((order, p.namespace, p.ifname))
                        if p.namespace in self.shown:
                            naming.setdefault((p.namespace, p.ifname), []).append((order, space.id, lk.name))
            self._pairs = (own, naming)
        own, naming = self._pairs
        ends = [e for e in own.get((nid, dev), ()) if self.exists(f"dev:{e[1]}:{e[2]}")]
        ends.extend(naming.get((nid, dev), ()))
        seen: dict[tuple[str, str], Far] = {}
        for _, far_id, far_dev in sorted(ends):
            if (far_id, far_dev) != (nid, dev) and (far_id, far_dev) not in seen:
                seen[(far_id, far_dev)] = (self.by_id[far_id], far_dev)
        return tuple(seen.values())


class _Tree:
    """The lines of the tree. An entry of ``lines`` may hold several lines (a device with the pod behind
    it): the text is their join, one write."""

    def __init__(self, index: _Index, marks: Iterable[Mark]) -> None:
        self.index = index
        self.marks: dict[str, list[str]] = {}
        for m in marks:
            if m.vertex:
                self.marks.setdefault(m.vertex, []).append(f"! {m.severity} {m.rule}: {m.title}")
        self.lines: list[str] = []
        self._answered = 0  # devices of the namespace being written whose peer names them back
        self._local: dict[str, Namespace] = {}  # the namespaces of the node being written, by id
        self._addrs: dict[str, tuple[str, ...]] = {}
        self._links: dict[str, list[tuple[str, str]]] = {}
        self._nid = ""

    def box(self, node: Node) -> None:
        d = [f"pod range {c}" for c in node.pod_cidrs]
        if node.role == "node":
            d.append(f"pods {sum(1 for ns in node.namespaces if ns.role == 'pod')}")
        self.lines.append(fit(f"{'node' if node.role == 'node' else 'network'} {node.name}"
                              + (f"  ({', '.join(d)})" if d else "")))
        self.lines.extend(fit(f"   {t}") for t in self.marks.get(f"node:{node.name}", ()))
        shown = [ns for ns in node.namespaces if ns.role != "pod"]
        self._local = {ns.id: ns for ns in node.namespaces}
        for i, ns in enumerate(shown):
            self.netns(ns, i == len(shown) - 1)
        self.lines.append("")

    def netns(self, ns: Namespace, last: bool, long_way: bool = False) -> None:
        """Write namespace ``ns``'s tree. Each device's veth pair is the peer it names unless that
        namespace is named more often than its devices are named back (or ``long_way``): then every
        pair is listed (:meth:`_Index.all_pairs`) and the namespace written again."""
        out, nid = self.lines, ns.id
        start = len(out)
        out.append(fit(f"{'`- ' if last else '|- '}netns {_label(ns)} ({ns.role})"))
        sub = "   " if last else "|  "
        peers = [self.index.far(o) for k, o in self.index.links.get(f"ns:{nid}", ()) if k == "bgp"]
        if peers:
            more = f" and {len(peers) - 4} more" if len(peers) > 4 else ""
            out.append(fit(f"{sub}   BGP with {', '.join(peers[:4])}{more}"))
        out.extend(fit(f"{sub}{t}") for t in self.marks.get(f"ns:{nid}", ()))
        devices = [lk for lk in ns.links if lk.kind != "loopback"]
        ends: list[tuple[Far, ...] | None] = [None] * len(devices)  # None: from the device's peer
        fast = not long_way and len({lk.name for lk in devices}) == len(devices)
        if not fast:  # (a name given twice: both devices have every pair of either, as one vertex)
            ends = [self.index.all_pairs(nid, lk.name) for lk in devices]
        ports: dict[str, list[int]] = {}  # bridge (master) -> its ports, as indexes into devices
        top = []
        for i, lk in enumerate(devices):
            if lk.master:
                ports.setdefault(lk.master, []).append(i)
            else:
                top.append(i)
        self._nid, self._addrs, self._answered = nid, _addresses(ns), 0
        self._links = self.index.dev_links.get(nid, {})
        for n, i in enumerate(top):
            end = n == len(top) - 1
            held = self.device(devices[i], ends[i], sub + ("`- " if end else "|- "), sub + ("   " if end else "|  "),
                               True)
            members = ports.get(devices[i].name)
            if members:
                more = sub + ("   " if end else "|  ")
                branch, under = more + "|- ", more + "|  "
                for j in members[:-1]:
                    self.device(devices[j], ends[j], branch, under, False)
                self.device(devices[members[-1]], ends[members[-1]], more + "`- ", more + "   ", False)
            if held:
                out.append(held)
        if fast and self._answered != self.index.named.get(nid, 0):
            del out[start:]
            self.netns(ns, last, long_way=True)

    def device(self, lk: Link, ends: tuple[Far, ...] | None, branch: str, sub: str, defer: bool) -> str:
        """Write device ``lk``'s line (after ``branch``) with its tunnel ends and findings under it (after
        ``sub``), then the pods behind it; with ``defer``, return the pods' lines instead (a bridge's are
        written after its ports). ``ends``: the far ends of its veth pairs; None: the peer it names,
        counted in ``answered`` when that peer names it back."""
        mine = self._addrs.get(lk.name)
        text = (f"{branch}{lk.name}  {lk.kind if lk.cni is None else f'{lk.kind} ({lk.cni})'}  "
                f"{'  '.join(mine) + '  ' if mine else ''}mtu {lk.mtu}")
        held = ""
        p = lk.peer
        if ends is None and p is not None:
            nid, name = self._nid, p.ifname
            far_ns = self._local.get(p.namespace) or self.index.by_id.get(p.namespace)
            ends = ()
            if far_ns is not None and (name != lk.name or p.namespace != nid):
                for far in far_ns.links:  # the first device (not lo) of that name, as its vertex id names it
                    if far.name == name and far.kind != "loopback":
                        back = far.peer
                        if back is not None and back.ifname == lk.name and back.namespace == nid:
                            self._answered += 1
                        ends = ((far_ns, name),)
                        break
        for far_ns, far_dev in ends or ():
            label = far_ns.pod or far_ns.name or far_ns.id
            text += f"  <-> {label}:{far_dev}"
            if far_ns.role == "pod" and self._local.get(far_ns.id) is far_ns:
                line = f"{sub}   pod {label}: {far_dev} "
                first = True
                for a in far_ns.addresses:
                    if a.dev == far_dev and not a.address.startswith("fe80:"):
                        line = line + a.address if first else f"{line} {a.address}"
                        first = False
                line = line if len(line) <= WIDTH else line[: WIDTH - 3] + "..."
                held = f"{held}\n{line}" if held else line
        extra = self._links.get(lk.name)
        if extra:  # the LAN it is attached to, and below it the far ends of its tunnels
            text = fit(text + "".join(f"  -- {self.index.name(o)}" for k, o in extra if k == "lan"))
            tunnel = [self.index.far(o) for k, o in extra if k == "tunnel"]
            if tunnel:
                more = f" and {len(tunnel) - 4} more" if len(tunnel) > 4 else ""
                text += "\n" + fit(f"{sub}   tunnel to {', '.join(tunnel[:4])}{more}")
        elif len(text) > WIDTH:
            text = text[: WIDTH - 3] + "..."
        if self.marks:
            text += "".join("\n" + fit(f"{sub}{t}")
                            for t in self.marks.get(f"dev:{self._nid}:{lk.name}", ()))
        if defer:
            self.lines.append(text)
            return held
        self.lines.append(f"{text}\n{held}" if held else text)
        return ""


def _addresses(ns: Namespace) -> dict[str, tuple[str, ...]]:
    """Each device's addresses but its link-local IPv6 ones, as the graph's devices carry them."""
    out: dict[str, list[str]] = {}
    for a in ns.addresses:
        if not a.address.startswith("fe80:"):
            out.setdefault(a.dev, []).append(a.address)
    return {dev: tuple(addrs) for dev, addrs in out.items()}


def _ids(snapshot: Snapshot, index: _Index) -> set[str]:
    """Every vertex id of the graph: where a finding may be placed."""
    ids = {f"node:{n.name}" for n in snapshot.nodes} | set(index.fabric_label)
    for node in snapshot.nodes:
        for ns in node.namespaces:
            ids.add(f"ns:{ns.id}")
            ids.update(f"dev:{ns.id}:{lk.name}" for lk in ns.links if lk.kind != "loopback")
    return ids


def tree_text(snapshot: Snapshot, findings: Iterable[Finding] = (), node: str | None = None) -> str:
    """The trees of every node of ``snapshot`` (or of node ``node``), the physical side after them,
    with ``findings`` under the devices (or boxes) they concern."""
    boxes = [n for n in snapshot.nodes if node is None or n.name == node]
    index = _Index(snapshot, {ns.id for n in boxes for ns in n.namespaces if ns.role != "pod"})
    findings = tuple(findings)
    marks: list[Mark] = []
    if findings:
        from netblame.topology.attach import place_findings

        marks = place_findings(snapshot, findings, _ids(snapshot, index))
    tree = _Tree(index, marks)
    for box in boxes:
        tree.box(box)
    if node is None:
        for v in index.fabric:
            text = ""
            for _, o in index.links.get(v.id, ()):  # the names until the line is full
                text += f", {index.name(o)}" if text else index.name(o)
                if len(text) > WIDTH:
                    break
            tree.lines.append(fit(f"{v.label}: {text}"))
    if tree.lines and tree.lines[-1]:
        tree.lines.append("")
    return "\n".join(tree.lines)
