"""What a node snapshot says about the hand-off's requirements, per node: its uplink (the underlay
device) and MTU, what its pods send, the encapsulations its tunnel devices add, its routes. Pure."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from netblame.dataplane.encap import OVERHEAD, overhead
from netblame.model.snapshot import Namespace, Snapshot

# Device names the CNIs give their tunnels (FACTS.md B.6, C, D): which CNI and data path they show.
TUNNEL_DEVICES = {"flannel.1": ("flannel", "vxlan"), "cilium_vxlan": ("cilium", "vxlan"),
                  "cilium_geneve": ("cilium", "geneve"), "vxlan.calico": ("calico", "vxlan"),
                  "tunl0": ("calico", "ipip"), "cilium_wg0": ("cilium", "wireguard"),
                  "wireguard.cali": ("calico", "wireguard"), "flannel-wg": ("flannel", "wireguard")}
NOT_UPLINK = {"bridge", "vxlan", "geneve", "ipip", "wireguard", "dummy", "loopback"}


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """One node, reduced to what the hand-off checks."""

    name: str
    uplink: str | None
    address: str | None
    uplink_mtu: int | None
    pod_mtu: int | None  # the largest MTU of an admin-up pod interface (None without pod namespaces)
    tunnel_mtu: int | None  # the largest MTU of the node's tunnel devices
    encapsulation: tuple[str, ...]  # tunnel kinds of the node's admin-up tunnel devices (keys of encap.OVERHEAD)
    route_dsts: tuple[str, ...]
    has_default: bool
    pod_cidrs: tuple[str, ...]
    cni: tuple[str, str] | None  # (CNI, data path) its tunnel devices show

    @property
    def overhead(self) -> int:
        return sum(overhead(kind, 4) for kind in self.encapsulation)


def host_namespace(namespaces: Sequence[Namespace]) -> Namespace | None:
    return next((ns for ns in namespaces if ns.role == "host"), None)


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A pod range as a network, or None when the snapshot holds text that is not one (the rules that read pod
    ranges report it; this one only needs the ranges that parse)."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def uplink(ns: Namespace, pod_cidrs: Sequence[str]) -> tuple[str, str, int] | None:
    """(device, IPv4 address, MTU) of the node's uplink: the default route's device, else the first device
    with a global IPv4 address outside the pod ranges that is not a bridge or a tunnel."""
    pods = [p for p in (_network(c) for c in pod_cidrs) if p is not None]
    default = next((r.dev for r in ns.routes if r.dst in ("default", "0.0.0.0/0") and r.family == 4
                    and r.table == "main"), None)
    for addr in ns.addresses:
        link = ns.link(addr.dev)
        if addr.family != 4 or addr.scope != "global" or link is None or link.kind in NOT_UPLINK:
            continue
        if any(ipaddress.ip_address(addr.address) in p for p in pods):
            continue
        if default is None or addr.dev == default:
            return addr.dev, addr.address, link.mtu
    return None


def node_facts(snapshot: Snapshot) -> list[NodeFacts]:
    """Facts for every node of the snapshot that has a host namespace."""
    out: list[NodeFacts] = []
    for node in snapshot.nodes:
        ns = host_namespace(node.namespaces) if node.role == "node" else None
        if ns is None:
            continue
        up = uplink(ns, node.pod_cidrs)
        tunnels = [lk for lk in ns.links if lk.kind in OVERHEAD and lk.admin_up and not lk.info.get("external")]
        named = [TUNNEL_DEVICES[lk.name] for lk in ns.links if lk.name in TUNNEL_DEVICES]
        pod_mtus = [lk.mtu for pns in node.namespaces if pns.role == "pod" for lk in pns.links
                    if lk.name != "lo" and lk.admin_up]
        out.append(NodeFacts(
            name=node.name, uplink=up[0] if up else None, address=up[1] if up else None,
            uplink_mtu=up[2] if up else None,
            pod_mtu=max(pod_mtus) if pod_mtus else None,
            tunnel_mtu=max(lk.mtu for lk in tunnels) if tunnels else None,
            encapsulation=tuple(sorted({lk.kind for lk in tunnels})),
            route_dsts=tuple(r.dst for r in ns.routes if r.family == 4 and r.type == "unicast"
                             and r.dst not in ("default", "0.0.0.0/0")),
            has_default=any(r.dst in ("default", "0.0.0.0/0") and r.family == 4 for r in ns.routes),
            pod_cidrs=tuple(node.pod_cidrs), cni=named[0] if named else None))
    return out


def mtu_shortfall(facts: NodeFacts, encapsulation: tuple[str, ...] | None = None,
                  sent: int | None = None) -> tuple[int, int] | None:
    """(largest packet after encapsulation, what the uplink carries) when the first exceeds the second (NB501);
    ``encapsulation`` stands in for the node's own tunnels when it has none (a hand-off for an overlay), ``sent``
    for the pods' MTU when the snapshot holds no pods."""
    sent = facts.pod_mtu if sent is None else sent
    if facts.uplink_mtu is None or sent is None:
        return None
    layers = facts.encapsulation or encapsulation or ()
    need = sent + sum(overhead(kind, 4) for kind in layers)
    return (need, facts.uplink_mtu) if need > facts.uplink_mtu else None


def mtu_fix(facts: NodeFacts, need: int) -> str:
    """NB501's fix in the node's own values."""
    lower = (facts.uplink_mtu or 0) - (need - (facts.pod_mtu or facts.tunnel_mtu or 0))
    return (f"ask for MTU {need} on {facts.uplink} and on every switch port and router interface between the "
            f"nodes (`ip link set dev {facts.uplink} mtu {need}` on the node), or lower the pod MTU in the CNI "
            f"configuration to {lower} (Cilium Helm `mtu: {lower}`, Calico Installation `calicoNetwork.mtu: "
            f"{lower}`, Flannel net-conf `Backend.MTU`) and restart the pods")
