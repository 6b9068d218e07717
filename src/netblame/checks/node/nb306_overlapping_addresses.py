"""NB306: overlapping pod ranges between nodes, or one address held in two namespaces."""

from __future__ import annotations

from collections.abc import Iterator

from netblame import ipmath
from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import (
    IPAddr,
    IPNet,
    connected,
    global_addresses,
    ip_cmd,
    node_nodes,
    pod_ranges,
    where,
)
from netblame.checks.node.examples import Data, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Namespace, Node, Snapshot

# Devices that legitimately hold the same addresses on every node: kube-proxy's IPVS dummy (every Service IP)
# and node-local DNS caches.
SHARED_DEVICES = ("kube-ipvs0", "nodelocaldns")


def _holders(snapshot: Snapshot) -> dict[IPAddr, list[tuple[Node, Namespace, str]]]:
    seen: dict[IPAddr, list[tuple[Node, Namespace, str]]] = {}
    for node in node_nodes(snapshot):
        for ns in node.namespaces:
            for dev, ip in global_addresses(ns):
                lk = ns.link(dev)
                if dev in SHARED_DEVICES or (lk is not None and (lk.kind == "dummy" or not lk.admin_up)):
                    continue
                seen.setdefault(ip, []).append((node, ns, dev))
    return seen


def _range_overlaps(snapshot: Snapshot) -> list[tuple[Node, IPNet, Node, IPNet]]:
    """Overlapping pod ranges of two different nodes, as (earlier node, its range, later node, its range),
    in node order and then range order: a sort and one sweep, not every pair of nodes."""
    ranges = [((i, j, node, net), net) for i, node in enumerate(node_nodes(snapshot))
              for j, net in enumerate(pod_ranges(node))]
    pairs = [(p, q) if p[:2] < q[:2] else (q, p) for p, q in ipmath.overlapping_pairs(ranges) if p[0] != q[0]]
    return [(a[2], a[3], b[2], b[3]) for a, b in sorted(pairs, key=lambda pq: (pq[0][0], pq[1][0], pq[0][1], pq[1][1]))]


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    for a, x, b, y in _range_overlaps(snapshot):
        yield Diagnostic(
            message=(f"pod ranges overlap: {a.name} has {x}, {b.name} has {y}; the same pod addresses "
                     "can be handed out on both nodes, and every other node has two routes for them"),
            fix="give every node its own, disjoint pod range (let kube-controller-manager allocate them "
                "with --allocate-node-cidrs from one --cluster-cidr, or fix the CNI's IPAM pool), then "
                "re-create the pods of one node",
            location=where(b),
        )
    component = connected(snapshot)
    for ip, held in sorted(_holders(snapshot).items(), key=lambda kv: (kv[0].version, kv[0])):
        groups: dict[str, list[tuple[Node, Namespace, str]]] = {}
        for item in held:
            groups.setdefault(component[item[1].id], []).append(item)
        yield from (_duplicate(ip, group) for group in groups.values() if len({ns.id for _, ns, _ in group}) > 1)


def _duplicate(ip: IPAddr, held: list[tuple[Node, Namespace, str]]) -> Diagnostic:
    listed = "; ".join(f"node {n.name} netns {ns.name or ns.id} dev {dev}" for n, ns, dev in held)
    node, ns, dev = held[-1]
    prefix = next((a.prefixlen for a in ns.addresses if a.dev == dev and a.address == str(ip)), ip.max_prefixlen)
    return Diagnostic(
        message=(f"{ip} is held in {len({n.id for _, n, _ in held})} namespaces that route to each other ({listed}): "
                 "replies go to whichever one the routes pick, so connections to it fail or reach the wrong pod"),
        fix=(f"remove the duplicate (`{ip_cmd(ns)} addr del {ip}/{prefix} dev {dev}`) or re-create the pod so its "
             "IPAM hands out a free address; then find why two pods got one address (overlapping pod ranges, "
             "a reset IPAM store)"),
        location=where(node, ns, dev),
    )


def _overlap(data: Data) -> None:
    """n2 was given n1's range, and its pod n1's pod's address."""
    n2 = data["nodes"][1]
    n2["pod_cidrs"] = ["10.244.1.0/24"]
    n2["namespaces"][1]["addresses"][0]["address"] = "10.244.1.2"


def _two_labs(data: Data) -> None:
    """One machine holding two unconnected copies of a namespace: nothing routes between them."""
    copy = {**data["nodes"][0]["namespaces"][1], "id": "lab2-p1", "name": "lab2-p1", "links": []}
    data["nodes"][0]["namespaces"].append(copy)


RULE = Rule(
    meta=RuleMeta(
        id="NB306",
        name="overlapping-addresses",
        title="Overlapping pod ranges or duplicate addresses",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="Two nodes' pod ranges overlap, or the same routable address is held in two namespaces "
                "(pods or nodes) of one snapshot.",
        rationale=(
            "Kubernetes requires every pod to have its own cluster-wide unique address. When two nodes' pod "
            "ranges overlap, their IPAM hands out the same addresses, and every other node can route such an "
            "address to only one of them; when an address is held twice, replies go to whichever holder the "
            "routes pick. Connections fail intermittently, depending on which pods happen to share an address."
        ),
        fix="Give every node a disjoint pod range and re-create the pods holding duplicated addresses.",
        references=(
            "Kubernetes network model (every pod gets its own unique cluster-wide IP address): "
            "https://kubernetes.io/docs/concepts/services-networking/#the-kubernetes-network-model",
        ),
        examples=(
            Example(name="n2 given n1's pod range", files=(("snap.json", two_nodes(_overlap)),)),
            Example(name="disjoint ranges, unique addresses", files=(("snap.json", two_nodes()),), fires=False),
            Example(name="the same address in a namespace nothing connects to",
                    files=(("snap.json", two_nodes(_two_labs)),), fires=False),
        ),
    ),
    check=check,
)
