"""Layer 2: where a frame goes from a device (veth crossing, bridge FDB lookup and flooding).

Learning is not simulated: a bridge forwards by the FDB entries in the snapshot. A destination MAC
the FDB does not hold is flooded by the kernel; the first frame's ARP reply teaches the bridge the
port, so the trace follows the port that leads to the MAC's owner and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from netblame.dataplane.index import Dataplane, NsView, normalise_mac

BROADCAST = "ff:ff:ff:ff:ff:ff"


@dataclass(frozen=True, slots=True)
class BridgeDecision:
    """What a bridge does with a frame: ``local`` (up to its own stack), ``port`` or ``drop``."""

    kind: str
    port: str | None
    detail: str
    flooded: tuple[str, ...] = ()


def leads_to(dp: Dataplane, view: NsView, dev: str, mac: str, depth: int = 0) -> bool:
    """Whether a frame sent out of ``dev`` can reach the device owning ``mac``."""
    link = view.links.get(dev)
    if link is None or depth > 6:
        return False
    if link.kind == "veth" and link.peer is not None:
        peer_view = dp.view(link.peer.namespace)
        if peer_view is None:
            return False
        peer = peer_view.links.get(link.peer.ifname)
        if peer is None:
            return False
        if normalise_mac(peer.mac) == mac:
            return True
        if peer.master:
            return any(leads_to(dp, peer_view, p, mac, depth + 1)
                       for p in peer_view.ports.get(peer.master, ()) if p != peer.name) \
                or mac in peer_view.bridge_local_macs(peer.master)
        return False
    if link.kind == "vxlan":
        return any(normalise_mac(e.mac) == mac for e in view.fdb.get(dev, ()))
    return False


def _hairpin(view: NsView, port: str) -> bool:
    """Whether a bridge port sends frames back out the port they came in on (``hairpin on``, as the CNI bridge
    plugin's ``hairpinMode`` sets it)."""
    link = view.links.get(port)
    slave = link.info.get("slave") if link is not None else None
    return isinstance(slave, dict) and bool(slave.get("hairpin"))


def bridge_forward(dp: Dataplane, view: NsView, bridge: str, in_port: str | None, mac: str) -> BridgeDecision:
    """Forward a frame for ``mac`` that entered ``bridge`` on ``in_port`` (None: from the bridge's own stack)."""
    if in_port is not None and (mac == BROADCAST or mac in view.bridge_local_macs(bridge)):
        return BridgeDecision("local", None, f"destination MAC {mac} is the bridge's own: passed up to {bridge}")
    ports = [p for p in view.ports.get(bridge, ()) if p != in_port or _hairpin(view, p)]
    for port in ports:
        for e in view.fdb.get(port, ()):
            if normalise_mac(e.mac) == mac and (e.master in (None, bridge)) and "self" not in e.flags:
                how = "static" if e.state in ("static", "permanent") else "learned"
                return BridgeDecision("port", port, f"FDB: {mac} -> port {port} ({how} entry)")
    for port in ports:
        if leads_to(dp, view, port, mac):
            return BridgeDecision("port", port, f"FDB has no entry for {mac} in the snapshot: the bridge floods the "
                                  f"first frame and learns {mac} behind port {port} from the reply", tuple(ports))
    return BridgeDecision("drop", None, f"no port of {bridge} leads to {mac}: flooded to "
                          f"{', '.join(ports) or 'no ports'} and lost", tuple(ports))
