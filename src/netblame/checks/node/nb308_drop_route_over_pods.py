"""NB308: a blackhole, unreachable or prohibit route swallows another node's pods."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import (
    IPAddr,
    IPNet,
    hosts,
    ip_cmd,
    lookup,
    net,
    node_nodes,
    pod_addresses,
    pod_ranges,
    probe,
    where,
)
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.dataplane.fib import TERMINAL_TYPES
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Namespace, Node, Snapshot


def _targets(node: Node) -> list[tuple[str, IPAddr]]:
    out = [(f"pod range {n}", probe(n)) for n in pod_ranges(node)]
    out += [(f"pod {ns.pod or ns.id} ({ip})", ip) for ns, ip in pod_addresses(node)]
    return out


def _drop_ranges(ns: Namespace) -> list[IPNet] | None:
    """The destinations of the namespace's blackhole, unreachable and prohibit routes (None when one does not
    parse): only an address inside one of them can be dropped by a route, so only those are looked up."""
    out = []
    for route in ns.routes:
        if route.type in TERMINAL_TYPES:
            network = net(route.dst)  # always a CIDR in a snapshot (``default`` is written 0.0.0.0/0 or ::/0)
            if network is None:
                return None
            out.append(network)
    return out


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    nodes = node_nodes(snapshot)
    targets = {node.name: _targets(node) for node in nodes}  # once per node, not once per pair
    for node in nodes:
        for ns in hosts(node):
            drops = _drop_ranges(ns)
            if drops == []:
                continue  # no route that drops: nothing to look up
            seen: set[tuple[str, str]] = set()
            for other in nodes:
                if other.name == node.name:
                    continue
                for what, ip in targets[other.name]:
                    if drops is not None and not any(ip.version == d.version and ip in d for d in drops):
                        continue
                    found = lookup(ns, ip)
                    if found is None or found.type not in TERMINAL_TYPES:
                        continue
                    route = found.route
                    if (route.dst, route.table) in seen:
                        continue
                    seen.add((route.dst, route.table))
                    table = "" if route.table == "main" else f" table {route.table}"
                    yield Diagnostic(
                        message=(f"{route.type} route {route.dst}{table} (proto {route.protocol}) covers "
                                 f"{other.name}'s {what}: {node.name} drops traffic to it"),
                        fix=(f"delete it: `{ip_cmd(ns)} route del {route.type} {route.dst}{table}` (if a routing "
                             "daemon installed it, fix its configuration, or it comes back)"),
                        location=where(node, ns),
                    )


def _blackhole(data: Data) -> None:
    host(data, 1)["routes"].append({"family": 4, "table": "main", "type": "blackhole", "dst": "10.244.2.0/24"})
    host(data, 1)["routes"] = [r for r in host(data, 1)["routes"]
                               if not (r["dst"] == "10.244.2.0/24" and r["type"] == "unicast")]


def _own_blackhole(data: Data) -> None:
    """Calico's blackhole for the node's own block: more specific routes per pod win."""
    host(data, 1)["routes"] += [
        {"family": 4, "table": "main", "type": "blackhole", "dst": "10.244.1.0/26", "protocol": "bird"},
        {"family": 4, "table": "main", "type": "unicast", "dst": "10.244.1.2/32", "dev": "veth1", "scope": "link"}]


RULE = Rule(
    meta=RuleMeta(
        id="NB308",
        name="drop-route-over-pods",
        title="Blackhole route over another node's pods",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="The route a node picks for another node's pod range or pods is a blackhole, unreachable or "
                "prohibit route.",
        rationale=(
            "Such routes make the kernel discard matching packets (blackhole silently, unreachable and prohibit "
            "with an ICMP error). Routing daemons install them on purpose for a node's own ranges (Calico's "
            "blackhole for its own blocks), but one that wins the longest-prefix match for another node's pods "
            "cuts those pods off from this node, left over from a migration, a manual test, or a daemon with "
            "a wrong configuration."
        ),
        fix="Delete the route (the finding gives the command), and fix whatever installed it.",
        references=(
            "ip-route(8): route types blackhole, unreachable, prohibit",
        ),
        examples=(
            Example(name="blackhole for n2's pod range", files=(("snap.json", two_nodes(_blackhole)),)),
            Example(name="blackhole for the node's own block only", files=(("snap.json", two_nodes(_own_blackhole)),),
                    fires=False),
        ),
    ),
    check=check,
)
