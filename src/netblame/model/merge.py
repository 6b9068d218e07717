"""Fold cluster fragments from many inputs into one ``ClusterNetwork``.

The first input that sets a setting wins (inputs are given in command-line order, flags last); any
other input that sets it to a different value becomes a :class:`Conflict`, itself a finding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

from netblame.model.cidr import Cidr, IPAddress
from netblame.model.cluster import ClusterNetwork, CniConfig, Conflict, NodeInfo
from netblame.model.origin import Sourced

T = TypeVar("T")

_SCALARS = ("node_mask_v4", "node_mask_v6", "allocate_node_cidrs", "max_pods", "dns_domain", "planned_nodes")
_PER_FAMILY = ("pod_cidrs", "service_cidrs")


def _explicit_first(present: list[Sourced[T]]) -> list[Sourced[T]]:
    """The values someone set; a tool's default counts only when nobody set one."""
    explicit = [v for v in present if v.origin.default is None]
    return explicit or present[:1]


def _merge_scalar(name: str, values: Sequence[Sourced[T] | None], conflicts: list[Conflict]) -> Sourced[T] | None:
    present = _explicit_first([v for v in values if v is not None])
    if not present:
        return None
    first = present[0]
    differing = [v for v in present[1:] if v.value != first.value]
    if differing:
        conflicts.append(Conflict(name, tuple(Sourced(str(v.value), v.origin) for v in (first, *differing))))
    return first


def _merge_cidrs(name: str, values: Sequence[tuple[Cidr, ...]], conflicts: list[Conflict]) -> tuple[Cidr, ...]:
    chosen: dict[int, Cidr] = {}
    differing: dict[int, list[Cidr]] = {}
    every = [cidr for group in values for cidr in group]
    set_by_someone = {c.family for c in every if c.origin.default is None}
    for cidr in every:
        if cidr.origin.default is not None and cidr.family in set_by_someone:
            continue  # a default gives way to a value someone set
        if cidr.family not in chosen:
            chosen[cidr.family] = cidr
        elif cidr.network != chosen[cidr.family].network and cidr.origin.default is None:
            differing.setdefault(cidr.family, []).append(cidr)
    for family, others in sorted(differing.items()):
        first = chosen[family]
        conflicts.append(Conflict(f"{name} (IPv{family})",
                                  tuple(Sourced(c.text, c.origin) for c in (first, *others))))
    return tuple(chosen[f] for f in sorted(chosen))


def _merge_nodes(groups: Sequence[tuple[NodeInfo, ...]]) -> tuple[NodeInfo, ...]:
    by_name: dict[str, NodeInfo] = {}
    for group in groups:
        for node in group:
            by_name.setdefault(node.name, node)
    return tuple(by_name.values())


def _follow_pod_range(cni: CniConfig, pods: tuple[Cidr, ...]) -> CniConfig:
    """A CNI whose default IPv4 pool is replaced by the cluster's IPv4 pod range, when there is one."""
    pod = next((c for c in pods if c.family == 4), None)
    if not cni.pools_follow_pod_range or pod is None:
        return cni
    why = f"{cni.name} takes the pod range when its own pool is unset"
    taken = Cidr(text=pod.text, network=pod.network, origin=dataclasses.replace(pod.origin, default=why))
    pools = (taken, *(c for c in cni.pools if c.family != 4))
    return dataclasses.replace(cni, pools=pools, pools_follow_pod_range=False)


def _mode_only(cni: CniConfig) -> bool:
    return cni.ipam_mode is not None and not (cni.pools or cni.block_v4 or cni.block_v6 or cni.routing or cni.mtu)


def _value(item: Sourced[str] | None) -> str | None:
    return None if item is None else item.value


def _defaults_only(cni: CniConfig) -> bool:
    """An entry of defaults and no pool (the CNI a distribution deploys when a file names only the CNI)."""
    values = (cni.ipam_mode, cni.block_v4, cni.block_v6, cni.routing, cni.mtu)
    return not cni.pools and all(v is None or v.origin.default is not None for v in values)


def _fold_cnis(cnis: Sequence[CniConfig]) -> list[CniConfig]:
    """An entry that only names a CNI's IPAM mode (Calico's calico-config ConfigMap) lends it to the
    other entries of that CNI that do not say, and is kept only when there is no other entry. An entry of
    defaults only (RKE2's ``cni: cilium``) gives way to an entry of that CNI that says more (its HelmChartConfig)."""
    said = {c.name for c in cnis if not _defaults_only(c)}
    seen: set[tuple[str, str | None, str | None]] = set()
    kept: list[CniConfig] = []
    for cni in cnis:
        if _defaults_only(cni):
            same = (cni.name, _value(cni.ipam_mode), _value(cni.routing))
            if cni.name in said or same in seen:
                continue
            seen.add(same)
        kept.append(cni)
    cnis = kept
    modes = {c.name: c.ipam_mode for c in cnis if _mode_only(c)}
    full = [c for c in cnis if not _mode_only(c)]
    out = [dataclasses.replace(c, ipam_mode=modes[c.name]) if c.ipam_mode is None and c.name in modes else c
           for c in full]
    return out + [c for c in cnis if _mode_only(c) and all(f.name != c.name for f in full)]


def merge_cluster(fragments: Sequence[ClusterNetwork]) -> ClusterNetwork:
    """One ClusterNetwork from many fragments, with conflicts recorded."""
    conflicts: list[Conflict] = [c for f in fragments for c in f.conflicts]
    scalars = {name: _merge_scalar(name, [getattr(f, name) for f in fragments], conflicts) for name in _SCALARS}
    ranges = {name: _merge_cidrs(name, [getattr(f, name) for f in fragments], conflicts) for name in _PER_FAMILY}
    dns: list[Sourced[IPAddress]] = []
    seen_dns: set[IPAddress] = set()
    given = [a for f in fragments for a in f.cluster_dns if a.origin.default is None]
    for addr in given or [a for f in fragments for a in f.cluster_dns][:1]:
        if addr.value not in seen_dns:
            seen_dns.add(addr.value)
            dns.append(addr)
    lan = tuple({c.network: c for f in fragments for c in f.lan}.values())
    return ClusterNetwork(
        **scalars,  # type: ignore[arg-type]
        **ranges,  # type: ignore[arg-type]
        cluster_dns=tuple(dns),
        cnis=tuple(_follow_pod_range(c, ranges["pod_cidrs"]) for c in _fold_cnis([c for f in fragments
                                                                                    for c in f.cnis])),
        nodes=_merge_nodes([f.nodes for f in fragments]),
        lan=lan,
        conflicts=tuple(conflicts),
        distribution=next((f.distribution for f in fragments if f.distribution is not None), None),
    )
