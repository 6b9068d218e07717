"""Matching veth peers across namespaces. Pure.

A veth seen from namespace V names its peer by ifindex and by V's *own* nsid for the peer's namespace
(nsids are per viewer). :func:`resolve_peers` turns those into namespace ids of the snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import msgspec

from netblame._record import Record, record
from netblame.model.snapshot import Namespace, PeerRef


@record
class PendingPeer(Record):
    """A veth whose peer lives in another namespace, as the viewer saw it: nsid is per viewer."""

    ifname: str
    ifindex: int
    peer_ifindex: int
    nsid: int


@dataclass
class Parsed:
    """A parsed namespace before cross-namespace veth resolution."""

    namespace: Namespace
    pending: list[PendingPeer] = field(default_factory=list)
    nsid_names: dict[int, str] = field(default_factory=dict)
    nsid_ids: dict[int, str] = field(default_factory=dict)


def resolve_peers(parsed: Sequence[Parsed]) -> list[Namespace]:
    """Fill in every veth's peer across namespaces.

    A veth seen from namespace V names its peer by ifindex and by V's *own* nsid for the peer's
    namespace. nsids map to namespace names through ``ip netns list-id`` taken inside V; an nsid
    without a name (an unnamed namespace, or the host seen from a pod) is resolved from the other
    side (the peer that names V), then by structure: the only namespace holding a veth with that
    ifindex whose peer index is ours. A peer that cannot be placed stays None (its ``info`` keeps
    iproute2's ``link_index`` and ``link_netnsid``).
    """
    by_id = {p.namespace.id: p for p in parsed}
    id_of_name = {p.namespace.name: p.namespace.id for p in parsed if p.namespace.name}
    maps: dict[str, dict[int, str]] = {
        p.namespace.id: {**{nsid: id_of_name[n] for nsid, n in p.nsid_names.items() if n in id_of_name},
                         **{nsid: i for nsid, i in p.nsid_ids.items() if i in by_id}}
        for p in parsed
    }
    veths = {pid: {(pp.ifindex, pp.peer_ifindex): pp for pp in p.pending} for pid, p in by_id.items()}
    for _ in range(2):
        _by_symmetry(by_id, maps, veths)
        _by_structure(by_id, maps, veths)
    out: list[Namespace] = []
    for p in parsed:
        ns = p.namespace
        peers: dict[str, PeerRef] = {}
        for pp in p.pending:
            target = maps[ns.id].get(pp.nsid)
            other = by_id[target].namespace if target else None
            peer_link = next((lk for lk in other.links if lk.ifindex == pp.peer_ifindex), None) if other else None
            if other is not None and peer_link is not None:
                peers[pp.ifname] = PeerRef(namespace=other.id, ifname=peer_link.name, ifindex=peer_link.ifindex)
        if peers:
            ns = msgspec.structs.replace(ns, links=tuple(
                msgspec.structs.replace(lk, peer=peers[lk.name]) if lk.name in peers else lk for lk in ns.links))
        out.append(ns)
    return out


def _by_symmetry(by_id: Mapping[str, Parsed], maps: dict[str, dict[int, str]],
                 veths: Mapping[str, Mapping[tuple[int, int], PendingPeer]]) -> None:
    for vid, p in by_id.items():
        for pp in p.pending:
            target = maps[vid].get(pp.nsid)
            if target is None:
                continue
            back = veths[target].get((pp.peer_ifindex, pp.ifindex))
            if back is not None:
                maps[target].setdefault(back.nsid, vid)


def _by_structure(by_id: Mapping[str, Parsed], maps: dict[str, dict[int, str]],
                  veths: Mapping[str, Mapping[tuple[int, int], PendingPeer]]) -> None:
    for vid, p in by_id.items():
        taken = set(maps[vid].values())
        candidates: dict[int, set[str]] = {}
        for pp in p.pending:
            if pp.nsid in maps[vid]:
                continue
            here = {oid for oid, v in veths.items()
                    if oid != vid and oid not in taken and (pp.peer_ifindex, pp.ifindex) in v}
            candidates[pp.nsid] = candidates[pp.nsid] & here if pp.nsid in candidates else here
        for nsid, found in candidates.items():
            if len(found) == 1:
                maps[vid][nsid] = found.pop()
