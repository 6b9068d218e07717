"""The lab's layout (namespaces, addresses, pod ranges): pure arithmetic from the ``lab up`` options, no I/O.

Node ``n<i>`` gets the ``i``-th ``/node_mask`` range of ``pod_cidr`` as its ``podCIDR`` (in node
order; the Kubernetes node IPAM controller may pair nodes and ranges differently). When ``pod_cidr``
holds fewer ranges than there are nodes, the remaining nodes get none (``pod_cidr`` None) and no pods,
as in a real cluster where kube-controller-manager runs out of ranges.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal, get_args

from netblame.dataplane.encap import overhead
from netblame.errors import InputError
from netblame.ipmath import block_addresses, host_local_usable, node_blocks
from netblame.model.cidr import parse_cidr
from netblame.model.origin import flag

Style = Literal["vxlan", "routed", "host-routes"]
CniPlugin = Literal["bridge", "ptp"]
STYLES: tuple[str, ...] = get_args(Style)
CNI_PLUGINS: tuple[str, ...] = get_args(CniPlugin)

NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,11}$")
PREFIX = "nb-"
UPLINK_DEV = "eth0"
POD_IFNAME = "eth0"
LAN_BRIDGE = "br0"
CNI_BRIDGE = "cni0"
VXLAN_DEV = "flannel.1"  # Flannel's name for VNI 1 (pkg/backend/vxlan/vxlan.go)
VXLAN_VNI = 1
VXLAN_PORT = 8472  # Linux kernel default VXLAN port, Flannel's default on Linux
VXLAN_OVERHEAD = overhead("vxlan", 4)  # outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14
UNDERLAY_MTU = 1500
BGP_ASN = 64512  # first private-use 16-bit ASN (RFC 6996)
TRANSFER_NET = ipaddress.IPv4Network("192.0.2.0/24")  # TEST-NET-1 (RFC 5737): router links
MAX_NODES = 60


@dataclass(frozen=True, slots=True)
class LabSpec:
    """What ``lab up`` was asked for."""

    name: str
    style: Style = "vxlan"
    nodes: int = 3
    pods_per_node: int = 2
    pod_cidr: str = "10.244.0.0/16"
    node_mask: int = 24
    cni: CniPlugin = "bridge"
    lan_cidr: str = "198.18.0.0/24"  # RFC 2544 benchmark range: never routed anywhere
    route_reflector: bool = False  # routed: BIRD in the router namespace reflects routes, instead of a full mesh


@dataclass(frozen=True, slots=True)
class PodLayout:
    """One pod: ``n1-p1`` in namespace ``nb-<lab>-n1-p1``."""

    name: str
    namespace: str
    node: str


@dataclass(frozen=True, slots=True)
class NodeLayout:
    """One node namespace, its uplink on the LAN and its pod range (None when the plan had none left)."""

    index: int
    name: str
    namespace: str
    uplink_ip: str
    pod_cidr: str | None
    pods: tuple[PodLayout, ...]


@dataclass(frozen=True, slots=True)
class LabLayout:
    """Everything ``lab up`` builds, by name and address."""

    spec: LabSpec
    lan_prefixlen: int
    nodes: tuple[NodeLayout, ...]
    router_ip: str
    spare_ip: str

    @property
    def lan_namespace(self) -> str:
        return lan_namespace(self.spec.name)

    @property
    def router_namespace(self) -> str:
        return router_namespace(self.spec.name)

    @property
    def pod_mtu(self) -> int:
        return overlay_mtu(self.spec.style)


def prefix(lab: str) -> str:
    """Every object of lab ``lab`` is named with this prefix."""
    return f"{PREFIX}{lab}-"


def lan_namespace(lab: str) -> str:
    return f"{prefix(lab)}lan"


def router_namespace(lab: str) -> str:
    return f"{prefix(lab)}rtr"


def overlay_mtu(style: str) -> int:
    """The pods' MTU: the underlay's less the VXLAN overhead in the vxlan style."""
    return UNDERLAY_MTU - VXLAN_OVERHEAD if style == "vxlan" else UNDERLAY_MTU


def transfer_link(index: int) -> tuple[str, str, int]:
    """Router-side and node-side address of node ``index``'s point-to-point router link, and its prefix length."""
    base = int(TRANSFER_NET.network_address) + 4 * (index - 1)
    return str(ipaddress.IPv4Address(base + 1)), str(ipaddress.IPv4Address(base + 2)), 30


def lan_router_ip(lan_cidr: str) -> str:
    """The router namespace's LAN address: the last host address."""
    return str(ipaddress.IPv4Network(lan_cidr).broadcast_address - 1)


def lan_spare_ip(lan_cidr: str) -> str:
    """A LAN address nobody holds: the one below the router's."""
    return str(ipaddress.IPv4Network(lan_cidr).broadcast_address - 2)


def outside_namespace(lab: str) -> str:
    """The outside host's namespace: a machine on the LAN that is not a node (a client of a NodePort)."""
    return f"{prefix(lab)}out"


def lan_outside_ip(lan_cidr: str) -> str:
    """The outside host's LAN address: the one below the spare address."""
    return str(ipaddress.IPv4Network(lan_cidr).broadcast_address - 3)


def check_name(name: str) -> str:
    """A lab name: lower-case letters and digits, starting with a letter, at most 12 characters."""
    if not NAME_RE.match(name):
        raise InputError(f"--name: expected 1-12 lower-case letters or digits starting with a letter, got {name!r}")
    return name


def node_range(pod_cidr: ipaddress.IPv4Network, node_mask: int, index: int) -> ipaddress.IPv4Network | None:
    """The ``index``-th (0-based) ``/node_mask`` range inside ``pod_cidr``, or None past the end."""
    if index >= node_blocks(pod_cidr, node_mask):
        return None
    base = int(pod_cidr.network_address) + index * block_addresses(4, node_mask)
    return ipaddress.IPv4Network((base, node_mask))


def _ipv4(text: str, option: str) -> ipaddress.IPv4Network:
    network = parse_cidr(text, flag(option), family=4, what="an IPv4 CIDR").network
    assert isinstance(network, ipaddress.IPv4Network)
    return network


def make_layout(spec: LabSpec) -> LabLayout:
    """The address plan for ``spec``, or :class:`InputError` naming the option that cannot work."""
    check_name(spec.name)
    if spec.style not in STYLES:
        raise InputError(f"--style: expected one of {', '.join(STYLES)}, got {spec.style!r}")
    if spec.cni not in CNI_PLUGINS:
        raise InputError(f"--cni: expected one of {', '.join(CNI_PLUGINS)}, got {spec.cni!r}")
    if spec.route_reflector and spec.style != "routed":
        raise InputError(f"--route-reflector: only with --style routed, got --style {spec.style}")
    if not 1 <= spec.nodes <= MAX_NODES:
        raise InputError(f"--nodes: expected 1 to {MAX_NODES}, got {spec.nodes}")
    if spec.pods_per_node < 0:
        raise InputError(f"--pods-per-node: expected 0 or more, got {spec.pods_per_node}")
    pods = _ipv4(spec.pod_cidr, "--pod-cidr")
    lan = _ipv4(spec.lan_cidr, "--lan-cidr")
    if not pods.prefixlen <= spec.node_mask <= 30:
        raise InputError(f"--node-mask: expected {pods.prefixlen} (the --pod-cidr prefix) to 30, got {spec.node_mask}")
    usable = host_local_usable(4, spec.node_mask)  # the CNI plugins take their addresses from host-local
    if spec.pods_per_node > usable:
        raise InputError(f"--pods-per-node: a /{spec.node_mask} node range holds at most {usable} pods "
                         f"besides its gateway, got {spec.pods_per_node}")
    if lan.num_addresses - 2 < spec.nodes + 2:
        raise InputError(f"--lan-cidr: {lan} has room for {lan.num_addresses - 2} hosts; "
                         f"{spec.nodes} nodes, a router and a spare address need {spec.nodes + 2}")
    for a, a_opt, b, b_opt in ((pods, "--pod-cidr", lan, "--lan-cidr"), (pods, "--pod-cidr", TRANSFER_NET, ""),
                               (lan, "--lan-cidr", TRANSFER_NET, "")):
        if a.overlaps(b):
            other = b_opt or f"the router links ({TRANSFER_NET})"
            raise InputError(f"{a_opt}: {a} overlaps {other}")
    hosts_base = int(lan.network_address)
    nodes = []
    for i in range(1, spec.nodes + 1):
        rng = node_range(pods, spec.node_mask, i - 1)
        node_name = f"n{i}"
        node_ns = f"{prefix(spec.name)}{node_name}"
        pod_layouts = tuple(PodLayout(name=f"{node_name}-p{j}", namespace=f"{node_ns}-p{j}", node=node_name)
                          for j in range(1, spec.pods_per_node + 1)) if rng is not None else ()
        nodes.append(NodeLayout(index=i, name=node_name, namespace=node_ns,
                              uplink_ip=str(ipaddress.IPv4Address(hosts_base + i)),
                              pod_cidr=str(rng) if rng is not None else None, pods=pod_layouts))
    return LabLayout(spec=spec, lan_prefixlen=lan.prefixlen, nodes=tuple(nodes),
                   router_ip=lan_router_ip(spec.lan_cidr), spare_ip=lan_spare_ip(spec.lan_cidr))
