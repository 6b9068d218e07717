"""Neighbour resolution (ARP/NDP): from the snapshot's neighbour table, or by simulating the
broadcast request across veths, bridges and VXLAN flood entries and asking who answers."""

from __future__ import annotations

from dataclasses import dataclass

from netblame.dataplane import encap
from netblame.dataplane.index import Dataplane, NsView, normalise_mac
from netblame.dataplane.lpm import format_ip, parse_ip
from netblame.dataplane.sysctl import arp_ignore

STATIC_STATES = frozenset({"PERMANENT", "NOARP"})
USABLE_STATES = frozenset({"PERMANENT", "NOARP", "REACHABLE", "STALE", "DELAY", "PROBE"})


@dataclass(frozen=True, slots=True)
class Resolution:
    """The MAC a next hop resolves to (None: resolution fails) and how that was decided."""

    mac: str | None
    detail: str
    unknown: bool = False


def _receivers(dp: Dataplane, view: NsView, dev: str, seen: set[tuple[str, str]]) -> list[tuple[NsView, str]]:
    """Where a broadcast sent out of ``dev`` arrives at an IP stack: ``(namespace, device)``; a veth whose
    peer namespace the snapshot lacks adds ``seen`` entry ``("?", name)``."""
    key = (view.id, dev)
    if key in seen:
        return []
    seen.add(key)
    link = view.links.get(dev)
    if link is None:
        return []
    out: list[tuple[NsView, str]] = []
    if link.kind == "bridge":
        for port in view.ports.get(dev, ()):
            out += _receivers(dp, view, port, seen)
    elif link.kind == "veth" and link.peer is not None:
        peer_view = dp.view(link.peer.namespace)
        peer = peer_view.links.get(link.peer.ifname) if peer_view else None
        if peer_view is None:
            seen.add(("?", link.name))
        if peer_view is not None and peer is not None and peer_view.is_up(peer):
            if peer.master and peer.master in peer_view.links:
                seen.add((peer_view.id, peer.name))
                out.append((peer_view, peer.master))
                for port in peer_view.ports.get(peer.master, ()):
                    if port != peer.name:
                        out += _receivers(dp, peer_view, port, seen)
            else:
                out.append((peer_view, peer.name))
    elif link.kind == "vxlan":
        # The request is flooded as the data path floods (encap.remotes) and taken off as it is (decap_device).
        for remote in encap.remotes(view, link, None, None):
            try:
                fam, addr = parse_ip(remote.dst)
            except ValueError:
                continue
            for ns_id, _ in dp.owners(fam, addr):
                rv = dp.view(ns_id)
                tun = encap.decap_device(rv, "udp", remote.port, remote.vni)[0] if rv is not None else None
                if rv is not None and tun is not None:
                    out.append((rv, tun.name))
    return out


def resolve(dp: Dataplane, view: NsView, dev: str, family: int, target: int) -> Resolution:
    """Resolve ``target`` on ``dev``: a usable neighbour entry, else the answer to a simulated request."""
    text = format_ip(family, target)
    entry = view.neigh.get((dev, target))
    states = set(entry.state) if entry else set()
    if entry is not None and entry.lladdr and states & USABLE_STATES:
        kind = "static" if states & STATIC_STATES else "/".join(sorted(states)).lower()
        return Resolution(normalise_mac(entry.lladdr), f"neighbour {text} dev {dev} lladdr {entry.lladdr} ({kind})")
    link = view.links.get(dev)
    if link is not None and link.kind == "device" and link.peer is None:
        owners = [o for o in dp.owners(family, target) if o[0] != view.id]
        if owners:
            ov = dp.view(owners[0][0])
            olink = ov.links.get(owners[0][1]) if ov else None
            if ov is not None and olink is not None:
                return Resolution(normalise_mac(olink.mac), f"{text} is {ov.label}'s address on {olink.name} "
                                  "(the physical network between nodes is not in the snapshot: assumed to answer)")
        return Resolution(None, f"{text} is beyond {dev}, outside the snapshot", unknown=True)
    answers = []
    seen: set[tuple[str, str]] = set()
    for rv, rdev in _receivers(dp, view, dev, seen):
        if (family, target) in rv.local and rv.is_up(rv.links[rdev]):
            owner_dev = rv.local[(family, target)].dev
            if arp_ignore(rv.ns, rdev) >= 1 and owner_dev != rdev:
                continue
            answers.append((rv, rdev))
    before = f" (snapshot entry: {'/'.join(sorted(states))})" if entry is not None else ""
    if not answers:
        missing = sorted(name for ns_id, name in seen if ns_id == "?")
        if missing:
            return Resolution(None, f"{text} would be behind {', '.join(missing)}, whose peer namespace is not in "
                              "the snapshot", unknown=True)
        return Resolution(None, f"no device reachable from {dev} answers for {text}{before}")
    rv, rdev = answers[0]
    mac = normalise_mac(rv.links[rdev].mac)
    shown = mac or "its MAC address is not in the snapshot"
    return Resolution(mac, f"{text} answered by {rv.label} on {rdev} ({shown}){before}")
