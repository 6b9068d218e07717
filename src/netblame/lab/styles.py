"""The node-to-node pod path of each style, as iproute2 commands; ``routed`` delegates to BIRD.

``vxlan`` is built as Flannel's VXLAN backend builds it (flannel-io/flannel pkg/backend/vxlan): a
device ``flannel.1`` (VNI 1, UDP 8472, no learning) with the node's range's network address as a /32;
for every other node a permanent neighbour entry (its VTEP address -> its VTEP MAC), an FDB entry (its
VTEP MAC -> its underlay address) and a route ``<range> via <vtep addr> dev flannel.1 onlink``.
``host-routes`` is Flannel's host-gw: ``<range> via <uplink addr> dev eth0``.
"""

from __future__ import annotations

import ipaddress

from netblame.lab import _run, bird
from netblame.lab.layout import UPLINK_DEV, VXLAN_DEV, VXLAN_PORT, VXLAN_VNI, overlay_mtu
from netblame.lab.state import LabState, NodeState


def vtep_mac(index: int) -> str:
    """A fixed, locally administered MAC for node ``index``'s VXLAN device."""
    return f"0e:6e:62:00:{index >> 8 & 0xFF:02x}:{index & 0xFF:02x}"


def vtep_ip(node: NodeState) -> str:
    """The VTEP address Flannel puts on ``flannel.1``: the network address of the node's range."""
    assert node.pod_cidr is not None
    return str(ipaddress.ip_network(node.pod_cidr).network_address)


def device_lines(style: str, node: NodeState) -> list[str]:
    """Commands creating the node's own overlay device (vxlan only)."""
    if style != "vxlan" or node.pod_cidr is None or node.vtep_mac is None:
        return []
    return [f"link add {VXLAN_DEV} type vxlan id {VXLAN_VNI} local {node.uplink_ip} dev {UPLINK_DEV} "
            f"dstport {VXLAN_PORT} nolearning",
            f"link set {VXLAN_DEV} address {node.vtep_mac} mtu {overlay_mtu(style)} up",
            f"addr add {vtep_ip(node)}/32 dev {VXLAN_DEV}"]


def route_line(style: str, peer: NodeState, verb: str = "replace") -> str:
    """The route to ``peer``'s pod range (``verb`` is ``replace`` or ``del``)."""
    assert peer.pod_cidr is not None
    if style == "vxlan":
        return f"route {verb} {peer.pod_cidr} via {vtep_ip(peer)} dev {VXLAN_DEV} onlink"
    return f"route {verb} {peer.pod_cidr} via {peer.uplink_ip} dev {UPLINK_DEV}"


def fdb_line(peer: NodeState, dst: str | None = None, verb: str = "replace") -> str:
    """The VXLAN FDB entry sending ``peer``'s VTEP MAC to ``dst`` (default: its uplink address)."""
    tail = "" if verb == "del" else " self permanent"
    return f"fdb {verb} {peer.vtep_mac} dev {VXLAN_DEV} dst {dst or peer.uplink_ip}{tail}"


def connect(state: LabState, node: NodeState, peers: list[NodeState]) -> None:
    """Install on ``node`` the path to each of ``peers``' pod ranges (routed: see :func:`bird.sync`)."""
    peers = [p for p in peers if p.pod_cidr is not None and p.name != node.name]
    if state.style == "routed" or node.pod_cidr is None or not peers:
        return
    lines = []
    if state.style == "vxlan":
        lines += [f"neigh replace {vtep_ip(p)} lladdr {p.vtep_mac} dev {VXLAN_DEV} nud permanent" for p in peers]
        _run.bridge_batch(node.namespace, [fdb_line(p) for p in peers])
    lines += [route_line(state.style, p) for p in peers]
    _run.ip_batch(node.namespace, lines)


def disconnect(state: LabState, node: NodeState, peers: list[NodeState]) -> None:
    """Remove from ``node`` what :func:`connect` installed for ``peers`` (missing pieces are fine)."""
    peers = [p for p in peers if p.pod_cidr is not None and p.name != node.name]
    if state.style == "routed" or not peers:
        return
    lines = [route_line(state.style, p, "del") for p in peers]
    if state.style == "vxlan":
        lines += [f"neigh del {vtep_ip(p)} dev {VXLAN_DEV}" for p in peers]
        _run.ip_batch(node.namespace, lines, force=True)
        _run.bridge_batch(node.namespace, [fdb_line(p, verb="del") for p in peers], force=True)
    else:
        _run.ip_batch(node.namespace, lines, force=True)


def wire(state: LabState) -> None:
    """Build the whole node-to-node path of the lab's style."""
    if state.style == "routed":
        bird.start(state)
        return
    _run.parallel(lambda n: connect(state, n, state.nodes), state.nodes)
