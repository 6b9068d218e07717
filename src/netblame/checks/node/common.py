"""What the NB3xx node rules share: where a finding points, the command that fixes it in the right
namespace, the nodes' pod ranges and pod addresses, and the kernel's route lookup on a snapshot."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from itertools import pairwise

from netblame.dataplane.fib import Fib, FibRoute
from netblame.dataplane.index import build_fib
from netblame.model.origin import Origin
from netblame.model.snapshot import Namespace, Node, Snapshot

IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


def where(node: Node, ns: Namespace | None = None, dev: str | None = None) -> Origin:
    """A location such as ``node n2 / netns nb-x-n2 / dev vxlan0``."""
    parts = [f"node {node.name}"]
    if ns is not None:
        parts.append(f"netns {ns.name or ns.id}")
    if dev is not None:
        parts.append(f"dev {dev}")
    return Origin(object=" / ".join(parts))


def _run_in(ns: Namespace, command: str) -> str:
    """``command`` run in ``ns``: ``ip netns exec`` for a named namespace, plain on the host, ``nsenter`` otherwise."""
    if ns.name is not None:
        return f"ip netns exec {ns.name} {command}"
    if ns.role == "host":
        return command
    return f"nsenter --net=/proc/<pid>/ns/net {command}"


def ip_cmd(ns: Namespace, tool: str = "ip") -> str:
    """``ip`` (or ``bridge``) run in ``ns``: ``ip -n NAME`` for a named namespace."""
    return f"{tool} -n {ns.name}" if ns.name is not None else _run_in(ns, tool)


def sysctl_cmd(ns: Namespace, assignment: str) -> str:
    """``sysctl -w`` in ``ns``."""
    return _run_in(ns, f"sysctl -w {assignment}")


def connected(snapshot: Snapshot) -> dict[str, str]:
    """Namespace id -> a representative of the namespaces it can route to.

    Namespaces joined by veth pairs are connected; so are the namespaces of different nodes of a
    multi-node snapshot (a cluster's nodes reach each other over the physical network). Namespaces of
    one machine without a veth between them (two separate labs) are not.
    """
    parent = {ns.id: ns.id for node in snapshot.nodes for ns in node.namespaces}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[root(a)] = root(b)

    for node in snapshot.nodes:
        for ns in node.namespaces:
            for lk in ns.links:
                if lk.peer is not None:
                    join(ns.id, lk.peer.namespace)
    machines = [hosts(n) for n in node_nodes(snapshot)]
    if len(machines) > 1:
        firsts = [m[0].id for m in machines if m]
        for a, b in pairwise(firsts):
            join(a, b)
    return {x: root(x) for x in parent}


def net(text: str) -> IPNet | None:
    """A network from CIDR text (host bits allowed), or None when it is not one."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def hosts(node: Node) -> list[Namespace]:
    """The node's own namespaces (role ``host``): where its routes, tunnels and sysctls live."""
    return [ns for ns in node.namespaces if ns.role == "host"]


def pods(node: Node) -> list[Namespace]:
    """The node's pod namespaces."""
    return [ns for ns in node.namespaces if ns.role == "pod"]


def pod_ranges(node: Node) -> list[IPNet]:
    """The node's pod ranges as networks (unparseable entries are skipped)."""
    return [n for n in (net(c) for c in node.pod_cidrs) if n is not None]


def probe(network: IPNet) -> IPAddr:
    """An address inside ``network`` to look up routes for (its first host, or the network itself)."""
    return network.network_address + 1 if network.num_addresses > 2 else network.network_address


def global_addresses(ns: Namespace) -> Iterator[tuple[str, IPAddr]]:
    """(device, address) of every address that can be routed to: not loopback, not link-local."""
    for a in ns.addresses:
        try:
            ip = ipaddress.ip_address(a.address)
        except ValueError:
            continue
        if a.scope in ("global", "site") and not ip.is_loopback and not ip.is_link_local:
            yield a.dev, ip


def pod_addresses(node: Node) -> list[tuple[Namespace, IPAddr]]:
    """Every pod namespace's routable addresses."""
    return [(ns, ip) for ns in pods(node) for _, ip in global_addresses(ns)]


def ranges_known(snapshot: Snapshot) -> bool:
    """True when the snapshot says which pod range each node has (a lab, or a cluster collection)."""
    return any(n.pod_cidrs for n in snapshot.nodes)


def node_nodes(snapshot: Snapshot) -> list[Node]:
    """Nodes that are machines (not pieces of the physical network)."""
    return [n for n in snapshot.nodes if n.role == "node"]


_FIBS: dict[int, tuple[Namespace, Fib]] = {}
_FIBS_KEPT = 256  # namespaces whose tables stay built between lookups (rules look up many addresses in each)


def fib(ns: Namespace) -> Fib:
    """The namespace's rules and tables as the trace model builds them, built once per namespace object."""
    hit = _FIBS.get(id(ns))
    if hit is None or hit[0] is not ns:
        if len(_FIBS) >= _FIBS_KEPT:
            _FIBS.clear()
        hit = _FIBS[id(ns)] = (ns, build_fib(ns))
    return hit[1]


def lookup(ns: Namespace, address: IPAddr) -> FibRoute | None:
    """The route the kernel picks for a packet the namespace sends to ``address`` (policy rules, then the
    longest prefix in each table they consult); None when the lookup ends without a route."""
    return fib(ns).lookup(address.version, int(address)).route


def out_dev(found: FibRoute | None) -> str | None:
    """The device a route sends out of (the first nexthop's with a device, for a multipath route)."""
    if found is None:
        return None
    return next((h.dev for h in found.nexthops if h.dev), None)
