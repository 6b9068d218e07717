"""Indexes over a snapshot that the trace engine needs: per-namespace views (built on first use)
and cluster-wide owners of addresses and MAC addresses."""

from __future__ import annotations

from netblame.dataplane import sysctl, unsimulated
from netblame.dataplane.fib import Fib, FibRoute, prepare, selector
from netblame.dataplane.lpm import parse_ip
from netblame.dataplane.sysctl import Setting
from netblame.model.snapshot import Address, FdbEntry, Link, Namespace, Neighbour, PolicyRule, Route, Snapshot

# Devices without ARP: a packet routed into them needs no neighbour.
L3_KINDS = frozenset({"ipip", "sit", "gre", "ip6tnl", "wireguard", "tun", "loopback"})
TUNNEL_KINDS = frozenset({"vxlan", "geneve", "ipip"})
DOWN_STATES = frozenset({"DOWN", "LOWERLAYERDOWN", "NOTPRESENT"})
SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}


def normalise_mac(mac: str | None) -> str | None:
    """Lower-case MAC (None stays None)."""
    return mac.lower() if mac else None


def _local_routes(ns: Namespace) -> list[Route]:
    """The local-table routes the kernel adds for each address (used when the snapshot lacks them)."""
    routes = []
    for a in ns.addresses:
        host = "/32" if a.family == 4 else "/128"
        routes.append(Route(family=a.family, table="local", type="local", dst=a.address + host, dev=a.dev,
                            prefsrc=a.address, scope="host", protocol="kernel"))
    return routes


def _parses(rule: PolicyRule) -> bool:
    try:
        selector(rule.src)
        selector(rule.dst)
    except ValueError:
        return False
    return True


def build_fib(ns: Namespace, prepared: dict[int, FibRoute] | None = None) -> Fib:
    """A namespace's policy rules and tables, with the local table derived from its addresses when the
    snapshot lacks it. Routes and rules whose addresses do not parse are left out (the kernel could not
    hold them). ``prepared`` caches parsed routes by object across namespaces."""
    routes = list(ns.routes)
    if not any(r.table in ("local", "255") for r in routes):
        routes += _local_routes(ns)
    cache = {} if prepared is None else prepared
    fibroutes = []
    for r in routes:
        fr = cache.get(id(r))
        if fr is None or fr.route is not r:
            try:
                fr = cache[id(r)] = prepare(r)
            except ValueError:
                continue
        fibroutes.append(fr)
    return Fib(fibroutes, [rule for rule in ns.rules if _parses(rule)])


class NsView:
    """One namespace, prepared for lookups."""

    def __init__(self, ns: Namespace, node: str, prepared: dict[int, FibRoute]) -> None:
        self.ns = ns
        self._prepared = prepared
        self.id = ns.id
        self.node = node
        self.label = ns.pod or ns.name or ns.id
        self.links: dict[str, Link] = {lk.name: lk for lk in ns.links}
        self.local: dict[tuple[int, int], Address] = {}
        for a in ns.addresses:
            try:
                self.local[parse_ip(a.address)] = a
            except ValueError:
                continue
        self.ports: dict[str, list[str]] = {}
        for lk in ns.links:
            if lk.master:
                self.ports.setdefault(lk.master, []).append(lk.name)
        self.neigh: dict[tuple[str, int], Neighbour] = {}
        for n in ns.neighbours:
            try:
                self.neigh[(n.dev, parse_ip(n.dst)[1])] = n
            except ValueError:
                continue
        self.fdb: dict[str, list[FdbEntry]] = {}
        for e in ns.fdb:
            self.fdb.setdefault(e.dev, []).append(e)
        self._fib: Fib | None = None
        self.warnings = unsimulated.find(ns)
        self._sysctl: dict[tuple[str, str, int], Setting] = {}
        self._local_macs: dict[str, set[str]] = {}

    @property
    def fib(self) -> Fib:
        """Rules and tables (built on first use: big clusters have big tables)."""
        if self._fib is None:
            self._fib = build_fib(self.ns, self._prepared)
        return self._fib

    def forwarding(self, dev: str, family: int) -> Setting:
        """Whether packets arriving on ``dev`` may be forwarded (cached)."""
        key = ("forwarding", dev, family)
        hit = self._sysctl.get(key)
        if hit is None:
            hit = self._sysctl[key] = sysctl.forwarding(self.ns, dev, family)
        return hit

    def rp_filter(self, dev: str) -> Setting:
        """The effective rp_filter on ``dev`` (cached)."""
        key = ("rp_filter", dev, 4)
        hit = self._sysctl.get(key)
        if hit is None:
            hit = self._sysctl[key] = sysctl.rp_filter(self.ns, dev)
        return hit

    def select_src(self, route: FibRoute, dev: str, family: int) -> int | None:
        """Source address selection (``inet_select_addr``): the route's ``src``, else the first address
        on the output device within the route's scope, else any global address in the namespace."""
        if route.route.prefsrc:
            return parse_ip(route.route.prefsrc)[1]
        limit = SCOPES.get(route.route.scope, 0)
        for a in self.addresses_on(dev, family):
            if SCOPES.get(a.scope, 0) <= limit:
                return parse_ip(a.address)[1]
        for a in self.ns.addresses:
            if a.family == family and SCOPES.get(a.scope, 0) == 0:
                return parse_ip(a.address)[1]
        return None

    def addresses_on(self, dev: str, family: int) -> list[Address]:
        """Addresses on ``dev`` in the order the kernel lists them (primary first)."""
        return [a for a in self.ns.addresses if a.dev == dev and a.family == family]

    def is_up(self, link: Link) -> bool:
        """Whether a device can carry packets (administratively up and not carrier-down)."""
        return link.admin_up and link.oper_state.upper() not in DOWN_STATES

    def bridge_local_macs(self, bridge: str) -> set[str]:
        """MACs a bridge delivers to its own host stack: its own and its ports' (the kernel's local FDB)."""
        hit = self._local_macs.get(bridge)
        if hit is None:
            macs = {normalise_mac(self.links[bridge].mac)} if bridge in self.links else set()
            macs |= {normalise_mac(self.links[p].mac) for p in self.ports.get(bridge, ()) if p in self.links}
            hit = self._local_macs[bridge] = {m for m in macs if m}
        return hit


class Dataplane:
    """A snapshot, indexed for tracing. Build once, trace many times."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._raw: dict[str, tuple[Namespace, str]] = {}
        self.by_name: dict[str, str] = {}
        self.by_pod: dict[str, str] = {}
        self.ip_owners: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for node in snapshot.nodes:
            for ns in node.namespaces:
                self._raw[ns.id] = (ns, node.name)
                if ns.name:
                    self.by_name[ns.name] = ns.id
                if ns.pod:
                    self.by_pod[ns.pod] = ns.id
                for a in ns.addresses:
                    if a.scope == "host":
                        continue
                    try:
                        self.ip_owners.setdefault(parse_ip(a.address), []).append((ns.id, a.dev))
                    except ValueError:
                        continue
        self._views: dict[str, NsView] = {}
        # Nodes of one cluster share many identical route objects (a decoder may intern them): parse each once.
        self._prepared: dict[int, FibRoute] = {}

    def view(self, ns_id: str) -> NsView | None:
        """The prepared namespace ``ns_id``, or None when the snapshot does not hold it."""
        v = self._views.get(ns_id)
        if v is None:
            raw = self._raw.get(ns_id)
            if raw is None:
                return None
            v = self._views[ns_id] = NsView(*raw, self._prepared)
        return v

    def owners(self, family: int, addr: int) -> list[tuple[str, str]]:
        """``(namespace, device)`` pairs holding an address."""
        return self.ip_owners.get((family, addr), [])

    def tunnel_mac(self, address: str, kind: str) -> str | None:
        """The MAC of the tunnel device of ``kind`` in the namespace that owns ``address``."""
        for ns_id, _ in self.owners(*parse_ip(address)):
            other = self.view(ns_id)
            for lk in other.ns.links if other else ():
                if lk.kind == kind:
                    return normalise_mac(lk.mac)
        return None
