"""One consistent set of corrected ranges for a cluster, so that the fixes of different findings
agree with each other and every suggested value passes every rule.

Per IP family: the service range is kept if kube-apiserver accepts it and it is clear of the LAN and
the nodes; the pod range is kept if it holds a block for every node, is clear of the LAN and the
nodes, and does not overlap a kept service range (when it only overlaps the service range, the
service range moves instead). A range that must move is suggested at the user's own address when
that is free, else in the private ranges.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from netblame.checks.cluster._common import FAMILIES, node_address_nets, node_count, pools, uses_own_pool
from netblame.ipmath import IPNetwork, bits, node_blocks, overlaps, prefix_for_blocks, suggest_range
from netblame.model.cidr import Family
from netblame.model.cluster import ClusterNetwork, CniConfig

# Suggested pod ranges leave room for this many nodes (a /16 at the default /24 node mask), or for
# the node count when that is larger; never more than 2**16 blocks, kubeadm's
# PodSubnetNodeMaskMaxDiff (FACTS.md A.4).
HEADROOM_NODES = 256
MAX_MASK_DIFF = 16
# kube-apiserver accepts at most 20 host bits in a service range (FACTS.md A.5); a suggested range
# keeps at least 12 (4,096 Services).
MAX_SERVICE_HOST_BITS = 20
MIN_SERVICE_HOST_BITS = 12
# kubeadm's default service subnet (FACTS.md A.1): the next choice when a service range must move.
DEFAULT_SERVICE_V4 = ipaddress.IPv4Network("10.96.0.0/12")
# kubeadm puts the cluster DNS Service at the 10th address of the service range (FACTS.md A.1).
DNS_INDEX = 10


def suggested_pod_prefix(mask: int, nodes: int, current: int | None = None) -> int | None:
    """The prefix of a pod range to suggest: room for :data:`HEADROOM_NODES` nodes or ``nodes``,
    keeping a larger range the user already chose; None when ``nodes`` cannot fit at all."""
    floor = max(mask - MAX_MASK_DIFF, 0)
    if nodes > 1 << (mask - floor):
        return None
    prefix = max(prefix_for_blocks(max(nodes, HEADROOM_NODES), mask) or 0, floor)
    if current is not None and floor <= current < prefix:
        prefix = current
    return prefix


def service_ok(net: IPNetwork) -> bool:
    """kube-apiserver accepts it and it has a 10th address for cluster DNS."""
    return net.prefixlen >= bits(net.version) - MAX_SERVICE_HOST_BITS and net.num_addresses > DNS_INDEX


@dataclass
class Plan:
    """Corrected (or kept) ranges per family."""

    pods: dict[Family, IPNetwork] = field(default_factory=dict)
    services: dict[Family, IPNetwork] = field(default_factory=dict)


def _clear(net: IPNetwork, avoid: list[IPNetwork]) -> bool:
    return not any(overlaps(net, n) for n in avoid)


@dataclass(frozen=True, slots=True)
class _Family:
    """What planning one IP family starts from."""

    family: Family
    mask: int
    nodes: int  # 0 when unknown: then a range must hold at least two node blocks (see NB101)
    fixed: list[IPNetwork]  # LAN ranges and node addresses: never moved, always avoided
    pod: IPNetwork | None
    svc: IPNetwork | None
    pools: list[IPNetwork]  # pools of CNIs with their own IPAM that stay where they are


def _pod_ok(f: _Family, svc: IPNetwork | None) -> bool:
    pod = f.pod
    return (pod is not None and f.mask - MAX_MASK_DIFF <= pod.prefixlen <= f.mask
            and node_blocks(pod, f.mask) >= (f.nodes or 2) and _clear(pod, f.fixed + ([svc] if svc else [])))


def _new_pod(f: _Family, svc: IPNetwork | None) -> IPNetwork | None:
    avoid = f.fixed + ([svc] if svc else [])
    # The user's own (larger) size first; if no such range is free, the size the nodes need.
    for current in (f.pod.prefixlen if f.pod else None, None):
        prefix = suggested_pod_prefix(f.mask, f.nodes, current)
        new = suggest_range(prefix, f.family, avoid, prefer=[f.pod]) if prefix is not None else None
        if new is not None:
            return new
    return None


def _new_service(f: _Family, pod: IPNetwork | None) -> IPNetwork | None:
    assert f.svc is not None
    width = bits(f.family)
    want = min(max(f.svc.prefixlen, width - MAX_SERVICE_HOST_BITS), width - 4)
    avoid = f.fixed + f.pools + ([pod] if pod else [])
    prefer = [f.svc, DEFAULT_SERVICE_V4 if f.family == 4 else None]
    # The user's size (within kube-apiserver's limit) first, then smaller ranges down to 4,096 Services.
    for prefix in range(want, max(want, width - MIN_SERVICE_HOST_BITS) + 1):
        new = suggest_range(prefix, f.family, avoid, prefer=prefer)
        if new is not None:
            return new
    return None


def _service_ok(f: _Family) -> bool:
    return f.svc is not None and service_ok(f.svc) and _clear(f.svc, f.fixed)


def plan(cluster: ClusterNetwork, node_mask: dict[Family, int] | None = None) -> Plan:
    """Pod and service ranges that pass NB101-NB104, NB109 and NB111 together, where the private
    ranges leave room for them (a family is missing from the plan where they do not)."""
    out = Plan()
    count = node_count(cluster)
    for family in FAMILIES:
        svc, pod = cluster.service_cidr(family), cluster.pod_cidr(family)
        f = _Family(family=family, mask=(node_mask or {}).get(family, cluster.node_mask(family).value),
                    nodes=count.count if count else 0,
                    fixed=[c.network for c in cluster.lan if c.family == family] + node_address_nets(cluster, family),
                    pod=pod.network if pod else None, svc=svc.network if svc else None,
                    # CNI pools stay where they are only without a pod range: with one, the fixes point them at it.
                    pools=[] if pod else [c.network for cni in cluster.cnis if uses_own_pool(cni)
                                          for c in pools(cni, family)])
        new_pod: IPNetwork | None = None
        new_svc: IPNetwork | None = None
        if f.pod is None:
            # No pod range yet: settle the service range first, then find pods a place beside it.
            new_svc = (f.svc if _service_ok(f) else _new_service(f, None)) if f.svc else None
            new_pod = _new_pod(f, new_svc) if family == 4 else None
        else:
            kept_svc = f.svc if _service_ok(f) else None
            new_pod = f.pod if _pod_ok(f, None) else _new_pod(f, kept_svc)
            if f.svc is not None:
                keep = kept_svc is not None and (new_pod is None or not overlaps(kept_svc, new_pod))
                new_svc = kept_svc if keep else _new_service(f, new_pod)
        if new_pod is not None:
            out.pods[family] = new_pod
        if new_svc is not None:
            out.services[family] = new_svc
    return out


def pool_for(cluster: ClusterNetwork, cni: CniConfig, family: Family, mask: int) -> IPNetwork | None:
    """The pool a CNI with its own IPAM should use: the planned pod range when there is one (so pods
    get the range the rest of the cluster expects), else a fresh range for the nodes at ``mask``."""
    planned = plan(cluster).pods.get(family) if cluster.pod_cidr(family) is not None else None
    if planned is not None and planned.prefixlen <= mask:
        return planned
    count = node_count(cluster)
    prefix = suggested_pod_prefix(mask, count.count if count else 0)
    if prefix is None:
        return None
    avoid = [c.network for c in (*cluster.lan, *cluster.service_cidrs) if c.family == family]
    own = pools(cni, family)
    return suggest_range(prefix, family, avoid + node_address_nets(cluster, family),
                         prefer=[own[0].network if own else None])
