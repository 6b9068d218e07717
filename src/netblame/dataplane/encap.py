"""Tunnels: which outer header a device puts on a packet, and which device takes it off.

VXLAN: the outer destination comes from the device's FDB (the entry for the inner destination
MAC, else the all-zeros flood entries) or its fixed ``remote``; the UDP port from the entry or the
device (8472 when neither says: the Linux vxlan module's ``udp_port`` default). Geneve and IPIP
take the remote from their link details, IPIP without a fixed remote uses the route's gateway.
"""

from __future__ import annotations

from dataclasses import dataclass

from netblame.dataplane.index import NsView, normalise_mac
from netblame.model.snapshot import Link

LINUX_VXLAN_PORT = 8472
GENEVE_PORT = 6081
# Bytes each encapsulation adds over an IPv4 / an IPv6 underlay (an IPv6 outer header is 20 bytes longer).
# Calico, Configure MTU (https://docs.tigera.io/calico/latest/networking/configuring/mtu): IP-in-IP 20,
# VXLAN 50 / 70, WireGuard 60 / 80; VXLAN's 50 is outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14
# (cilium/cilium pkg/mtu/mtu.go, TunnelOverhead). Geneve: the same 8-byte fixed header as VXLAN plus
# variable-length options (RFC 8926), counted here without options.
OVERHEAD: dict[str, tuple[int, int]] = {
    "vxlan": (50, 70),
    "geneve": (50, 70),
    "ipip": (20, 40),
    "wireguard": (60, 80),
}
ZERO_MAC = "00:00:00:00:00:00"


@dataclass(frozen=True, slots=True)
class Remote:
    """One outer destination for a tunnelled packet."""

    dst: str
    vni: int | None
    port: int | None
    detail: str


def overhead(kind: str, outer_family: int) -> int:
    """Bytes a tunnel of ``kind`` (a key of :data:`OVERHEAD`) adds over an IPv``outer_family`` underlay."""
    return OVERHEAD[kind][outer_family == 6]


def tunnel_port(link: Link) -> int | None:
    """The UDP port the device sends to and listens on (None for IPIP)."""
    if link.kind == "vxlan":
        return (link.vxlan.port if link.vxlan and link.vxlan.port else None) or LINUX_VXLAN_PORT
    if link.kind == "geneve":
        port = link.info.get("port")
        return port if isinstance(port, int) and not isinstance(port, bool) else GENEVE_PORT
    return None


def tunnel_vni(link: Link) -> int | None:
    """The device's VNI (VXLAN, Geneve)."""
    if link.kind == "vxlan" and link.vxlan is not None:
        return link.vxlan.vni
    if link.kind == "geneve":
        vni = link.info.get("id")
        return vni if isinstance(vni, int) and not isinstance(vni, bool) else None
    return None


def tunnel_local(link: Link) -> str | None:
    """The fixed outer source address, if the device has one."""
    if link.kind == "vxlan" and link.vxlan is not None:
        return link.vxlan.local
    local = link.info.get("local")
    return str(local) if local and local != "any" else None


def underlay_dev(link: Link) -> str | None:
    """The device the outer packet must leave through, if the tunnel is bound to one."""
    if link.kind == "vxlan" and link.vxlan is not None:
        return link.vxlan.underlay_dev
    dev = link.info.get("link")
    return str(dev) if dev else None


def remotes(view: NsView, link: Link, inner_mac: str | None, gateway: str | None) -> list[Remote]:
    """Where the tunnel sends a packet; an empty list means it has nowhere to send it."""
    vni, port = tunnel_vni(link), tunnel_port(link)
    if link.kind == "vxlan":
        entries = view.fdb.get(link.name, ())
        exact = [e for e in entries if inner_mac and normalise_mac(e.mac) == inner_mac and e.dst]
        if exact:
            return [Remote(e.dst or "", e.vni or vni, e.port or port, f"VXLAN FDB: {inner_mac} dst {e.dst}")
                    for e in exact]
        flood = [e for e in entries if normalise_mac(e.mac) == ZERO_MAC and e.dst]
        if flood:
            return [Remote(e.dst or "", e.vni or vni, e.port or port,
                           f"no FDB entry for {inner_mac}: flooded to {e.dst} (all-zeros entry)") for e in flood]
        if link.vxlan is not None and (link.vxlan.remote or link.vxlan.group):
            dst = link.vxlan.remote or link.vxlan.group or ""
            return [Remote(dst, vni, port, f"device remote {dst}")]
        return []
    remote = link.info.get("remote")
    if remote and remote != "any":
        return [Remote(str(remote), vni, port, f"{link.kind} remote {remote}")]
    if link.kind == "ipip" and gateway:
        return [Remote(gateway, None, None, f"IPIP without a fixed remote: outer destination is the route's "
                       f"gateway {gateway}")]
    return []


def decap_device(view: NsView, proto: str, dport: int | None, vni: int | None) -> tuple[Link | None, str]:
    """The tunnel device that takes an arriving outer packet, and why (or why none does)."""
    candidates = []
    for lk in view.ns.links:
        udp = lk.kind in ("vxlan", "geneve") and proto == "udp" and tunnel_port(lk) == dport
        if udp or (lk.kind == "ipip" and proto == "ipip"):
            candidates.append(lk)
    if not candidates:
        return None, f"no tunnel device in {view.label} listens on {proto} port {dport}"
    for lk in candidates:
        if lk.kind == "ipip" or tunnel_vni(lk) == vni:
            return lk, f"{lk.kind} device {lk.name} (VNI {tunnel_vni(lk)}, port {dport}) takes it"
    have = ", ".join(f"{lk.name} VNI {tunnel_vni(lk)}" for lk in candidates)
    return None, f"port {dport} is open but no device has VNI {vni} ({have})"
