"""``netblame handoff``: what the physical network must provide for a cluster -- ports and protocols,
the underlay MTU and the pod MTU that follows, the routes or the BGP peering the router needs for
natively routed pod ranges, the DHCP/DNS the nodes expect -- and, given a node snapshot, whether each
node has it (docs/handoff.md). Pure: the caller reads the inputs."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from netblame.dataplane.encap import overhead
from netblame.ipmath import IPNetwork, contains
from netblame.underlay.firewall import EVALUATED, port_status
from netblame.underlay.node_facts import NodeFacts, mtu_fix, mtu_shortfall
from netblame.underlay.ports import Port, cni_ports, distribution_ports

OVERLAYS = ("vxlan", "geneve", "ipip", "wireguard")
CALICO_DEFAULT_ASN = 64512  # Calico's default AS number (docs/handoff.md)
DEFAULT_UNDERLAY_MTU = 1500  # Ethernet

if TYPE_CHECKING:
    from netblame.dataplane.netfilter.evaluate import Evaluator


@dataclass(frozen=True, slots=True)
class NodeRoute:
    """One node: its name, its underlay address and its pod ranges."""

    name: str
    address: str
    pod_cidrs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HandoffInput:
    """What the hand-off is computed from (built from a plan, cluster files or a snapshot: netblame.api.handoff)."""

    distribution: str = "kubeadm"
    cni: str | None = None
    routing: str = "vxlan"  # vxlan, geneve, ipip, wireguard, native, host-gw, none (BGP), *-crosssubnet
    encryption: str | None = None
    pod_cidrs: tuple[str, ...] = ()
    nodes: tuple[NodeRoute, ...] = ()
    underlay_mtu: int = DEFAULT_UNDERLAY_MTU
    underlay_family: int = 4
    asn: int = CALICO_DEFAULT_ASN
    router_ip: str | None = None
    dns_domain: str = "cluster.local"
    search_domains: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    features: frozenset[str] = frozenset()  # CNI options files do not show (underlay.ports.FEATURES)


@dataclass(frozen=True, slots=True)
class MtuAdvice:
    underlay_mtu: int
    encapsulation: tuple[str, ...]
    overhead: int
    pod_mtu: int
    underlay_for_full_pods: int  # the underlay MTU that lets pods keep 1500


@dataclass(frozen=True, slots=True)
class StaticRoute:
    prefix: str
    via: str
    node: str


@dataclass(frozen=True, slots=True)
class Status:
    """One requirement checked on one node: met, not met, or not checkable from what was given."""

    requirement: str
    node: str
    state: str  # met, not met, unknown
    detail: str
    rule: str | None = None
    fix: str | None = None


@dataclass(frozen=True, slots=True)
class Handoff:
    """Everything the network side gets."""

    inputs: HandoffInput
    ports: tuple[Port, ...]
    mtu: MtuAdvice
    routing: str  # overlay, static, bgp
    routes: tuple[StaticRoute, ...]
    dhcp: tuple[str, ...]
    notes: tuple[str, ...] = ()
    checks: tuple[Status, ...] = field(default=())


def encapsulation(inp: HandoffInput) -> tuple[str, ...]:
    """The encapsulations a pod packet gets between nodes (outermost last)."""
    out: list[str] = []
    base = inp.routing.split("-")[0]
    if base in OVERLAYS:
        out.append(base)
    if inp.encryption == "wireguard" and "wireguard" not in out:
        out.append("wireguard")
    return tuple(out)


def mtu_advice(inp: HandoffInput) -> MtuAdvice:
    """The pod MTU that fits the underlay once every encapsulation is added (encap.OVERHEAD)."""
    layers = encapsulation(inp)
    extra = sum(overhead(kind, inp.underlay_family) for kind in layers)
    return MtuAdvice(underlay_mtu=inp.underlay_mtu, encapsulation=layers, overhead=extra,
                     pod_mtu=inp.underlay_mtu - extra, underlay_for_full_pods=DEFAULT_UNDERLAY_MTU + extra)


def routing_kind(inp: HandoffInput) -> str:
    """``overlay`` (the underlay only carries node-to-node packets), ``bgp`` (Calico/kube-router announce
    the pod ranges) or ``static`` (native routing without BGP: Cilium native, Flannel host-gw)."""
    if inp.routing.split("-")[0] in OVERLAYS and not inp.routing.endswith("crosssubnet"):
        return "overlay"  # WireGuard as encryption on top of native routing still needs routes: not here
    if inp.cni in ("calico", "kube-router") and inp.routing in ("none", "bgp", "native"):
        return "bgp"
    return "static" if inp.routing in ("native", "host-gw", "none", "bgp") else "overlay"


def static_routes(inp: HandoffInput) -> tuple[StaticRoute, ...]:
    return tuple(StaticRoute(prefix=c, via=n.address, node=n.name) for n in inp.nodes for c in n.pod_cidrs)


def dhcp_requirements(inp: HandoffInput) -> tuple[str, ...]:
    out = ["a fixed address per node (a DHCP reservation or a static address): the node address is in the "
           "kubelet serving certificate and in every peer's configuration",
           "DNS servers (DHCP option 6) that answer for the LAN's names; kubelet gives pods with dnsPolicy "
           "Default the node's resolv.conf (kubelet resolvConf)",
           f"no search domain equal to or under the cluster domain {inp.dns_domain}, and no .local search domain "
           "(mDNS, RFC 6762): pods try every search domain for every name"]
    if inp.search_domains:
        out.append("search domains " + ", ".join(inp.search_domains) + " sent as DHCP option 119 (and option 15 "
                   "for the first), and the node's DHCP client told to use them (netblame dns checks this)")
    return tuple(out)


def make_handoff(inp: HandoffInput) -> Handoff:
    """The hand-off for ``inp`` (no node checks: see :func:`with_checks`)."""
    kind = routing_kind(inp)
    ports = [*distribution_ports(inp.distribution), *cni_ports(inp.cni, inp.routing, inp.encryption, inp.features)]
    routes = static_routes(inp) if kind in ("static", "bgp") else ()
    notes: list[str] = []
    if kind in ("static", "bgp") and not inp.nodes:
        notes.append("no node addresses and pod ranges were given (kubectl get nodes -o json, or a snapshot): "
                     "the route table and the peer list below are empty")
    if inp.routing.endswith("crosssubnet"):
        notes.append("CrossSubnet: pods on the same subnet are routed natively, so the nodes need L2 adjacency "
                     "there; between subnets the overlay is used")
    if inp.cni == "cilium" and kind == "static":
        notes.append("Cilium's cluster-pool IPAM gives each node its range in CiliumNode spec.ipam.podCIDRs, which "
                     "may differ from Node spec.podCIDR: take the per-node routes from `kubectl get ciliumnodes -o "
                     "jsonpath='{range .items[*]}{.metadata.name} {.spec.ipam.podCIDRs}{\"\\n\"}{end}'`, or let "
                     "Cilium's BGP control plane announce them")
    if inp.routing == "host-gw":
        notes.append("host-gw: every node must be on one L2 segment (Flannel backends.md)")
    return Handoff(inputs=inp, ports=tuple(ports), mtu=mtu_advice(inp), routing=kind, routes=routes,
                   dhcp=dhcp_requirements(inp), notes=tuple(notes))


def _covered(prefix: IPNetwork, dsts: list[IPNetwork]) -> bool:
    return any(contains(d, prefix) for d in dsts)


def firewall_checks(handoff: Handoff, facts: NodeFacts, nodes: Sequence[NodeFacts],
                    filters: tuple[Evaluator, str | None] | None) -> list[Status]:
    """Each required port on the node's own packet filters (:mod:`netblame.underlay.firewall`)."""
    if filters is None or facts.address is None:
        why = "the snapshot holds no packet filter rules for this node" if facts.address else \
            "no node address found in the snapshot"
        return [Status("host firewall", facts.name, "unknown", f"{why}: check the ports above by hand")]
    out: list[Status] = []
    for port in handoff.ports:
        if port.protocol not in EVALUATED:
            out.append(Status(f"host firewall: {port.label}", facts.name, "unknown",
                              f"{port.label} ({port.purpose}) is not evaluated: check it by hand"))
            continue
        state, detail, rule, fix = port_status(filters[0], facts, nodes, port, filters[1])
        out.append(Status(f"host firewall: {port.label}", facts.name, state, f"{port.purpose}: {detail}", rule, fix))
    return out


def check_node(handoff: Handoff, facts: NodeFacts, nodes: Sequence[NodeFacts] = (),
               filters: tuple[Evaluator, str | None] | None = None) -> list[Status]:
    """Each requirement a node snapshot can show, marked met / not met, with the NB5xx rule and fix;
    ``filters`` are the node's packet filters and its namespace's name (:func:`firewall.evaluators`)."""
    out: list[Status] = []
    advice = handoff.mtu
    layers = facts.encapsulation or advice.encapsulation
    sent = facts.pod_mtu or facts.tunnel_mtu  # without pods in the snapshot, what the tunnel device lets through
    if facts.uplink_mtu is None or sent is None:
        out.append(Status("underlay MTU", facts.name, "unknown", "no uplink device or pod MTU found in the snapshot"))
    else:
        short = mtu_shortfall(facts, advice.encapsulation, sent)
        need = sent + sum(overhead(kind, 4) for kind in layers)
        who = "pods send" if facts.pod_mtu else "the tunnel device takes"
        detail = (f"uplink {facts.uplink} MTU {facts.uplink_mtu}; {who} up to {sent} bytes"
                  f" + {need - sent} ({'+'.join(layers) or 'no encapsulation'}) = {need}")
        rule = "NB501" if facts.pod_mtu else "NB301"
        out.append(Status("underlay MTU", facts.name, "not met" if short else "met", detail,
                          rule if short else None, mtu_fix(facts, need) if short else None))
    if handoff.routing in ("static", "bgp"):
        dsts = [ipaddress.ip_network(d) for d in facts.route_dsts]
        for route in handoff.routes:
            if route.node == facts.name:
                continue
            prefix = ipaddress.ip_network(route.prefix)
            if _covered(prefix, [d for d in dsts if d.prefixlen > 0]):
                out.append(Status(f"route to {route.prefix}", facts.name, "met", f"the node routes {route.prefix}"))
            elif facts.has_default:
                out.append(Status(f"route to {route.prefix}", facts.name, "unknown",
                                  f"only the default route covers {route.prefix}: the router must hold "
                                  f"{route.prefix} via {route.via}"))
            else:
                out.append(Status(f"route to {route.prefix}", facts.name, "not met",
                                  f"no route to node {route.node}'s pod range {route.prefix}", "NB302",
                                  f"`ip route add {route.prefix} via {route.via}` on {facts.name}, or the BGP "
                                  "peering in this hand-off, or a default route via a router that holds the routes"))
    out += firewall_checks(handoff, facts, nodes, filters)
    return out


def with_checks(handoff: Handoff, nodes: list[NodeFacts],
                filters: Mapping[str, tuple[Evaluator, str | None]] | None = None) -> Handoff:
    """The hand-off with every node checked; ``filters`` per node name (:func:`firewall.evaluators`)."""
    found = filters or {}
    checks = tuple(s for facts in nodes for s in check_node(handoff, facts, nodes, found.get(facts.name)))
    return Handoff(inputs=handoff.inputs, ports=handoff.ports, mtu=handoff.mtu, routing=handoff.routing,
                   routes=handoff.routes, dhcp=handoff.dhcp, notes=handoff.notes, checks=checks)
