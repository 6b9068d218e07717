"""NB302: a node cannot route to pods: its own, or another node's pod range."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import (
    IPAddr,
    IPNet,
    global_addresses,
    hosts,
    ip_cmd,
    lookup,
    node_nodes,
    pod_addresses,
    pod_ranges,
    probe,
    ranges_known,
    where,
)
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.dataplane.fib import TERMINAL_TYPES, FibRoute
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Namespace, Node, Snapshot


def _missing(result: FibRoute | None) -> bool:
    return result is None or result.plen == 0


def _direct(ns: Namespace, other: Node) -> str:
    """``via <other's address> dev <dev>`` when ``ns`` reaches one of the other node's addresses directly."""
    for other_ns in hosts(other):
        for _, ip in global_addresses(other_ns):
            found = lookup(ns, ip)
            if found is not None and found.route.gateway is None and found.type == "unicast" and found.route.dev:
                return f"via {ip} dev {found.route.dev}"
    return "via <that node's address> dev <uplink>"


def _own_pods(node: Node, ns: Namespace, pods: Sequence[tuple[Namespace, IPAddr]]) -> Iterator[Diagnostic]:
    for pod_ns, ip in pods:
        found = lookup(ns, ip)
        if _missing(found) or (found is not None and found.type in TERMINAL_TYPES):
            extra = f" (only a {found.type} route {found.route.dst} matches)" if found is not None else ""
            yield Diagnostic(
                message=f"node {node.name} has no route to its own pod {pod_ns.pod or pod_ns.id} ({ip}){extra}: "
                        "traffic for the pod from other nodes and from the node itself goes nowhere",
                fix=f"restore the route the CNI plugin installs for the pod, e.g. `{ip_cmd(ns)} route replace "
                    f"{ip}/{ip.max_prefixlen} dev <the pod's host-side veth>`, or re-create the pod",
                location=where(node, ns),
            )


Owners = Mapping[str, tuple[Node, Namespace]]


def _owners(snapshot: Snapshot) -> Owners:
    """Each routable address of a machine's or a network piece's own namespaces -> that node and namespace."""
    return {str(ip): (node, ns) for node in snapshot.nodes for ns in hosts(node) for _, ip in global_addresses(ns)}


def _beyond_default(found: FibRoute, owners: Owners, other: Node, network: IPNet) -> bool | None:
    """Whether a packet that only the default route takes reaches ``other``'s ``network``: True when the
    gateway is that node, or a router in the snapshot that routes the range on; False when that router has no
    route for it; None when the router is not in the snapshot."""
    owner = owners.get(str(found.route.gateway)) if found.route.gateway else None
    if owner is None:
        return None
    if owner[0].name == other.name:
        return True
    if owner[0].role != "network":
        return None
    onward = lookup(owner[1], probe(network))
    return not _missing(onward) and onward is not None and onward.type not in TERMINAL_TYPES


def _other_ranges(nodes: Sequence[Node], ranges: Mapping[str, list[IPNet]], owners: Owners, node: Node,
                  ns: Namespace) -> Iterator[Diagnostic]:
    via_default: list[tuple[Node, IPNet]] = []
    default: FibRoute | None = None
    for other in nodes:
        if other.name == node.name:
            continue
        for network in ranges[other.name]:
            found = lookup(ns, probe(network))
            if not _missing(found):
                continue
            reaches = None if found is None else _beyond_default(found, owners, other, network)
            if reaches:
                continue
            if found is not None and reaches is None:
                via_default.append((other, network))
                default = found
                continue
            router = "" if found is None else (f" (only its default route matches, and the router it leads to, "
                                               f"{found.route.gateway}, has no route to that range either)")
            yield Diagnostic(
                message=(f"node {node.name} has no route to {other.name}'s pod range {network}{router}: "
                         f"pods on {node.name} cannot reach pods on {other.name}"),
                fix=(f"add the route the CNI should have installed: `{ip_cmd(ns)} route replace {network} "
                     f"{_direct(ns, other)}` (host-gw style), or the overlay route; then find why the CNI agent or "
                     "BGP session did not install it" + ("" if found is None else
                                                         f"; or route {network} to {other.name} on the router")),
                location=where(node, ns),
            )
    if default is not None:
        yield _only_default(node, ns, via_default, default)


def _only_default(node: Node, ns: Namespace, via_default: Sequence[tuple[Node, IPNet]],
                  default: FibRoute) -> Diagnostic:
    """One warning per namespace for every other node's range that only its default route (to a router the
    snapshot does not hold) matches: right when that router carries the pod routes, broken when it does not."""
    gateway = f"via {default.route.gateway} " if default.route.gateway else ""
    shown = ", ".join(f"{other.name} {network}" for other, network in via_default[:3])
    more = f" and {len(via_default) - 3} more" if len(via_default) > 3 else ""
    other, network = via_default[0]
    return Diagnostic(
        message=(f"node {node.name} has no route to the pod ranges of {len(via_default)} other node(s) "
                 f"({shown}{more}): only its default route ({gateway}dev {default.route.dev}) "
                 f"matches, so pods on {node.name} reach pods there only if that router routes each node's pod "
                 "range to its node"),
        fix=(f"if the router is meant to carry pod routes (cloud route table, static routes or BGP), give it one "
             f"route per node (`netblame handoff` lists them, e.g. {network} to {other.name}); otherwise install "
             f"the routes the CNI should have, e.g. `{ip_cmd(ns)} route replace {network} {_direct(ns, other)}` "
             "(host-gw style) or the overlay route, and find why the CNI agent did not"),
        location=where(node, ns),
        severity=Severity.WARNING,
    )


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    known = ranges_known(snapshot)
    nodes = node_nodes(snapshot)
    ranges = {node.name: pod_ranges(node) for node in nodes}  # parsed once, looked up from every other node
    owners = _owners(snapshot)
    for node in nodes:
        pods = pod_addresses(node)
        if known and pods and not node.pod_cidrs:
            listed = ", ".join(str(ip) for _, ip in pods[:3]) + (" ..." if len(pods) > 3 else "")
            yield Diagnostic(
                message=(f"node {node.name} holds {len(pods)} pod address(es) ({listed}) but has no pod range, while "
                         "other nodes have one: no other node routes to these pods"),
                fix="give the node a pod range (kube-controller-manager --allocate-node-cidrs with a --cluster-cidr "
                    "large enough for every node; check `kubectl get node NAME -o jsonpath='{.spec.podCIDRs}'`), "
                    "then restart the CNI agent on it",
                location=where(node),
            )
        if not pods and not node.pod_cidrs:
            continue
        for ns in hosts(node):
            yield from _own_pods(node, ns, pods)
            yield from _other_ranges(nodes, ranges, owners, node, ns)


def _route_gone(data: Data) -> None:
    host(data, 1)["routes"] = [r for r in host(data, 1)["routes"] if r["dst"] != "10.244.2.0/24"]


def _no_range(data: Data) -> None:
    data["nodes"][1]["pod_cidrs"] = []
    _route_gone(data)


RULE = Rule(
    meta=RuleMeta(
        id="NB302",
        name="pod-route-missing",
        title="No route to a node's pods",
        severity=Severity.ERROR,
        also=((Severity.WARNING, "when only the default route, to a router the snapshot does not hold, matches other "
                                 "nodes' pod ranges (one finding per node, listing them)"),),
        applies_to=Snapshot,
        summary="A node has no route to its own pods or to another node's pod range, or holds pods without "
                "having a pod range at all.",
        rationale=(
            "Kubernetes requires every pod to reach every other pod without NAT. On each node the CNI installs "
            "a route per pod (or per local bridge) and one per other node's pod range (through an overlay "
            "device, a direct host route, or routes learnt over BGP). When one is missing, the packet falls "
            "to the default route or is dropped, and pods on that pair of nodes cannot talk, while all other "
            "pairs work, which makes the failure look random. A node that holds pods but has no pod range "
            "is invisible to the other nodes' routing."
        ),
        fix="Restore the missing route (the finding shows the command) and find why the CNI agent or BGP session "
            "did not install it; give every node a pod range.",
        references=(
            "Kubernetes network model: https://kubernetes.io/docs/concepts/services-networking/#the-kubernetes-network-model",
            "flannel-io/flannel Documentation/backends.md (vxlan, host-gw routes per node subnet)",
        ),
        examples=(
            Example(name="route to the other node's range deleted", files=(("snap.json", two_nodes(_route_gone)),)),
            Example(name="a node without a pod range", files=(("snap.json", two_nodes(_no_range)),)),
            Example(name="both ranges routed", files=(("snap.json", two_nodes()),), fires=False),
        ),
    ),
    check=check,
)


