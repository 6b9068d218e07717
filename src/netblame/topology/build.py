"""Build the topology graph of a snapshot: boxes, ports and links, with the physical side added.

Links come from what the kernel says: a veth's peer, a device's bridge master, a tunnel's remote
(VXLAN ``remote`` and FDB destinations, other tunnels' ``remote`` and the gateways routed over them),
and BGP where routes were learnt by a routing daemon (``proto bird``/``bgp``). When the snapshot holds
no switch of its own (a cluster collected node by node), the nodes' shared subnets become LAN boxes
and their default gateway a router box.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import cached_property

from netblame.model.snapshot import Link, Namespace, Node, Route, Snapshot
from netblame.topology.model import Edge, EdgeKind, Vertex, dev_id, node_id, ns_id

TUNNEL_KINDS = frozenset({"vxlan", "geneve", "ipip", "gre", "sit", "ip6tnl", "wireguard", "ip6gre", "gretap"})
BGP_PROTOCOLS = frozenset({"bird", "bgp", "zebra"})
MAX_ROUTES_SHOWN = 8


def _routes_by_dev(ns: Namespace) -> dict[str, list[Route]]:
    out: dict[str, list[Route]] = {}
    for r in ns.routes:
        if r.table == "local":
            continue
        for dev in {r.dev, *(h.dev for h in r.nexthops)} - {None}:
            out.setdefault(dev, []).append(r)  # type: ignore[arg-type]
    return out


def _route_text(r: Route) -> str:
    gw = r.gateway or next((h.gateway for h in r.nexthops if h.gateway), None)
    extra = f" via {gw}" if gw else ""
    table = "" if r.table == "main" else f" table {r.table}"
    kind = "" if r.type == "unicast" else f"{r.type} "
    return f"{kind}{r.dst}{extra}{table}"


def _device_details(ns: Namespace, lk: Link, label_of: dict[str, str], addrs: list[str],
                    routes: list[Route]) -> tuple[tuple[str, str], ...]:
    kind = lk.kind if lk.cni is None else f"{lk.kind} ({lk.cni})"
    out = [("kind", kind), ("state", f"{'up' if lk.admin_up else 'down'}, {lk.oper_state}"), ("MTU", str(lk.mtu))]
    if lk.mac:
        out.append(("MAC", lk.mac))
    out.extend(("address", a) for a in addrs)
    if lk.peer is not None:
        out.append(("peer", f"{label_of.get(lk.peer.namespace, lk.peer.namespace)}:{lk.peer.ifname}"))
    if lk.master:
        out.append(("master", lk.master))
    if lk.vxlan is not None:
        vx = lk.vxlan
        parts = [f"VNI {vx.vni}"] + [f"{k} {v}" for k, v in (("port", vx.port), ("local", vx.local),
                                                              ("remote", vx.remote or vx.group),
                                                              ("underlay", vx.underlay_dev)) if v is not None]
        out.append(("vxlan", ", ".join(parts)))
    for r in routes[:MAX_ROUTES_SHOWN]:
        out.append(("route", _route_text(r)))
    if len(routes) > MAX_ROUTES_SHOWN:
        out.append(("route", f"... and {len(routes) - MAX_ROUTES_SHOWN} more"))
    return tuple(out)


def _ns_label(ns: Namespace) -> str:
    return ns.pod or ns.name or ns.id


class _Builder:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.vertices: list[Vertex] = []
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.owner: dict[str, str] = {}  # global address -> device vertex id
        self.host_of: dict[str, str] = {}  # device vertex id -> its namespace vertex id
        self.tunnel_dev: dict[tuple[str, str], str] = {}  # (namespace vertex id, tunnel kind) -> device vertex id
        # the tunnel devices and BGP-learnt routes, when lookups() found them already
        self.found: tuple[list[tuple[Namespace, Link]], list[tuple[Namespace, Route]]] | None = None

    @cached_property
    def label_of(self) -> dict[str, str]:
        """Namespace id -> the label its box shows (only the devices' details need it)."""
        return {ns.id: _ns_label(ns) for node in self.snapshot.nodes for ns in node.namespaces}

    def edge(self, kind: EdgeKind, a: str, b: str, label: str = "") -> None:
        lo, hi = sorted((a, b))
        key = (kind, lo, hi)
        if a != b and key not in self.edges:
            self.edges[key] = Edge(id=f"e{len(self.edges)}", kind=kind, source=lo, target=hi, label=label)

    def node(self, node: Node) -> None:
        box = node_id(node.name)
        details = [("pod range", c) for c in node.pod_cidrs]
        pods = sum(1 for ns in node.namespaces if ns.role == "pod")
        if node.role == "node":
            details.append(("pods", str(pods)))
        self.vertices.append(Vertex(id=box, kind="node" if node.role == "node" else "fabric", label=node.name,
                                    node=node.name, role=node.role, details=tuple(details)))
        for ns in node.namespaces:
            self.namespace(node, ns, box)

    def namespace(self, node: Node, ns: Namespace, box: str) -> None:
        vid = ns_id(ns.id)
        details = [("namespace", ns.name or ns.id), ("role", ns.role)]
        if ns.pod:
            details.insert(0, ("pod", ns.pod))
        fwd = ns.sysctls.get("net.ipv4.ip_forward")
        if fwd is not None:
            details.append(("net.ipv4.ip_forward", fwd))
        details.extend(("error", e) for e in ns.errors)
        self.vertices.append(Vertex(id=vid, kind="namespace", label=_ns_label(ns), parent=box, node=node.name,
                                    role=ns.role, pod=ns.pod, details=tuple(details)))
        self.index(ns)
        addrs: dict[str, list[str]] = {}
        for a in ns.addresses:
            addrs.setdefault(a.dev, []).append(f"{a.address}/{a.prefixlen}")
        routes = _routes_by_dev(ns)
        for lk in ns.links:
            if lk.kind == "loopback":
                continue
            did = dev_id(ns.id, lk.name)
            mine = addrs.get(lk.name, [])
            self.vertices.append(Vertex(
                id=did, kind="device", label=lk.name, parent=vid, node=node.name, role=lk.kind, pod=ns.pod,
                details=_device_details(ns, lk, self.label_of, mine, routes.get(lk.name, [])),
                addresses=tuple(a.split("/")[0] for a in mine if not a.startswith("fe80:"))))
            if lk.peer is not None:
                self.edge("veth", did, dev_id(lk.peer.namespace, lk.peer.ifname), "veth")
            if lk.master and ns.link(lk.master) is not None:
                self.edge("port", did, dev_id(ns.id, lk.master), "port")

    def index(self, ns: Namespace, devices: list[tuple[Link, str]] | None = None) -> None:
        """Note which device holds each global address, each device's namespace and each tunnel
        device: what tunnels, BGP sessions and the LAN are found by. ``devices``: the namespace's
        devices but its loopback with their vertex ids, when the caller has them already."""
        vid = ns_id(ns.id)
        for a in ns.addresses:
            if a.scope == "global":
                self.owner.setdefault(a.address, dev_id(ns.id, a.dev))
        if devices is None:
            devices = [(lk, dev_id(ns.id, lk.name)) for lk in ns.links if lk.kind != "loopback"]
        for lk, did in devices:
            self.host_of[did] = vid
            if lk.kind in TUNNEL_KINDS:
                self.tunnel_dev.setdefault((vid, lk.kind), did)

    def lookups(self) -> None:
        """What :meth:`tunnels`, :meth:`bgp` and :meth:`fabric` look up, and no more, in one pass: the
        tunnel devices, the routes learnt by a routing daemon, and the owner of each address those ask
        about (a tunnel's remotes, a gateway) with that owner's namespace. They then find the same links
        as after :meth:`index` of every namespace, without an entry for each of a cluster's hundreds of
        thousands of devices and addresses."""
        wanted: set[str] = set()
        tunnels: list[tuple[Namespace, Link]] = []
        sessions: list[tuple[Namespace, Route]] = []
        for node in self.snapshot.nodes:
            for ns in node.namespaces:
                host = ns.role == "host"
                for r in ns.routes:
                    if r.gateway and (host or r.protocol in BGP_PROTOCOLS):
                        wanted.add(r.gateway)  # a BGP peer's, or a host's gateway (the router box)
                        if r.protocol in BGP_PROTOCOLS:
                            sessions.append((ns, r))
                for lk in ns.links:
                    if lk.kind in TUNNEL_KINDS:
                        did, vid = dev_id(ns.id, lk.name), ns_id(ns.id)
                        self.host_of[did] = vid
                        self.tunnel_dev.setdefault((vid, lk.kind), did)
                        wanted.update(_tunnel_remotes(ns, lk))
                        tunnels.append((ns, lk))
        self.found = (tunnels, sessions)
        if not wanted:
            return
        for node in self.snapshot.nodes:
            for ns in node.namespaces:
                for a in ns.addresses:
                    if a.address in wanted and a.scope == "global":
                        did = dev_id(ns.id, a.dev)
                        self.owner.setdefault(a.address, did)
                        if any(lk.name == a.dev and lk.kind != "loopback" for lk in ns.links):
                            self.host_of[did] = ns_id(ns.id)

    def tunnels(self) -> None:
        found = self.found[0] if self.found is not None else (
            (ns, lk) for node in self.snapshot.nodes for ns in node.namespaces for lk in ns.links
            if lk.kind in TUNNEL_KINDS)
        for ns, lk in found:
            self._tunnel(ns, lk)

    def _tunnel(self, ns: Namespace, lk: Link) -> None:
        remotes = dict.fromkeys(_tunnel_remotes(ns, lk))  # in order: underlay addresses before gateways
        here = dev_id(ns.id, lk.name)
        for ip in remotes:
            owner = self.owner.get(ip)
            if owner is None or owner not in self.host_of:  # an address on no device of the graph (lo)
                continue
            far_ns = self.host_of.get(owner, "")
            # the same kind of tunnel device in the remote namespace, else the device holding the address
            twin = self.tunnel_dev.get((far_ns, lk.kind), owner)
            label = lk.kind if lk.vxlan is None else f"vxlan VNI {lk.vxlan.vni}"
            self.edge("tunnel", here, twin, f"{label} to {ip}")

    def bgp(self) -> None:
        found = self.found[1] if self.found is not None else (
            (ns, r) for node in self.snapshot.nodes for ns in node.namespaces for r in ns.routes
            if r.protocol in BGP_PROTOCOLS)
        for ns, r in found:
            if r.gateway is None:
                continue
            owner = self.owner.get(r.gateway)
            if owner is not None and self.host_of.get(owner) not in (None, ns_id(ns.id)):
                self.edge("bgp", ns_id(ns.id), self.host_of[owner], f"BGP (routes proto {r.protocol})")

    def fabric(self) -> None:
        """LAN and router boxes for nodes that share a subnet but no switch of the snapshot's own."""
        if any(n.role == "network" for n in self.snapshot.nodes):
            return
        members: dict[str, list[str]] = {}
        gateways: dict[str, set[str]] = {}
        for node in self.snapshot.nodes:
            for ns in node.namespaces:
                if ns.role != "host":
                    continue
                for a in ns.addresses:
                    lk = ns.link(a.dev)
                    if a.family != 4 or a.scope != "global" or lk is None or lk.kind in TUNNEL_KINDS \
                            or lk.kind == "bridge" or a.prefixlen >= 31:
                        continue
                    net = subnet(a.address, a.prefixlen)
                    members.setdefault(net, []).append(dev_id(ns.id, a.dev))
                for r in ns.routes:
                    if r.dst == "0.0.0.0/0" and r.gateway and r.table == "main":
                        gateways.setdefault(r.gateway, set())
        for net, devs in members.items():
            lan = f"lan:{net}"
            self.vertices.append(Vertex(id=lan, kind="fabric", label=f"LAN {net}", role="lan",
                                        details=(("subnet", net), ("nodes attached", str(len(devs))))))
            for d in devs:
                self.edge("lan", d, lan, "LAN")
            network = ipaddress.ip_network(net)
            for gw in sorted(gateways):
                if ipaddress.ip_address(gw) in network and gw not in self.owner:
                    rid = f"router:{gw}"
                    if all(v.id != rid for v in self.vertices):
                        self.vertices.append(Vertex(id=rid, kind="fabric", label=f"router {gw}", role="router",
                                                    details=(("address", gw), ("role", "default gateway"))))
                    self.edge("lan", lan, rid, "LAN")


def subnet(address: str, prefixlen: int) -> str:
    """The network of ``address/prefixlen`` as :mod:`ipaddress` writes it (``10.0.0.0/24``). A plain IPv4
    address is masked as four numbers, a fraction of the cost of parsing it into an object, which counts
    for every node of a cluster; anything else is left to :mod:`ipaddress`."""
    octets = address.split(".")
    if len(octets) == 4 and 0 <= prefixlen <= 32 and all(
            o.isascii() and o.isdigit() and len(o) <= 3 and (o[0] != "0" or o == "0") for o in octets):
        a, b, c, d = (int(o) for o in octets)
        if max(a, b, c, d) <= 255:
            n = (a << 24 | b << 16 | c << 8 | d) & (0xFFFFFFFF << (32 - prefixlen))
            return f"{n >> 24}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}/{prefixlen}"
    return str(ipaddress.ip_interface(f"{address}/{prefixlen}").network)


def _tunnel_remotes(ns: Namespace, lk: Link) -> Iterable[str]:
    if lk.vxlan is not None and lk.vxlan.remote:
        yield lk.vxlan.remote
    remote = lk.info.get("remote") if isinstance(lk.info, dict) else None
    if isinstance(remote, str):
        yield remote
    for f in ns.fdb:
        if f.dev == lk.name and f.dst:
            yield f.dst
    for r in ns.routes:
        if r.dev == lk.name and r.gateway:
            yield r.gateway


def build_topology(snapshot: Snapshot, title: str = "") -> tuple[list[Vertex], list[Edge]]:
    """Every vertex and edge of ``snapshot``'s graph; edges whose ends are not in the snapshot are left out."""
    b = _Builder(snapshot)
    for node in snapshot.nodes:
        b.node(node)
    b.tunnels()
    b.bgp()
    b.fabric()
    ids = {v.id for v in b.vertices}
    edges = [e for e in b.edges.values() if e.source in ids and e.target in ids]
    return b.vertices, edges
