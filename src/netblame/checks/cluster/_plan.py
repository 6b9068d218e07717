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
# kube-apiserver accepts at most 20 host bits in a service range (FACTS.md A.5).
MAX_SERVICE_HOST_BITS = 20
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


def plan(cluster: ClusterNetwork, node_mask: dict[Family, int] | None = None) -> Plan:
    """Pod and service ranges that pass NB101-NB104 and NB109 together (None-free where possible)."""
    out = Plan()
    count = node_count(cluster)
    nodes = count.count if count else 0
    for family in FAMILIES:
        mask = (node_mask or {}).get(family, cluster.node_mask(family).value)
        fixed = [c.network for c in cluster.lan if c.family == family] + node_address_nets(cluster, family)
        svc_cidr, pod_cidr = cluster.service_cidr(family), cluster.pod_cidr(family)
        svc = svc_cidr.network if svc_cidr else None
        pod = pod_cidr.network if pod_cidr else None
        svc_keep = svc is not None and service_ok(svc) and _clear(svc, fixed)
        if pod is not None or family == 4:
            pod_keep = (pod is not None and pod.prefixlen <= mask and node_blocks(pod, mask) >= max(nodes, 2)
                        and _clear(pod, fixed))
            if pod_keep and pod is not None:
                out.pods[family] = pod
            else:
                prefix = suggested_pod_prefix(mask, nodes, pod.prefixlen if pod else None)
                avoid = fixed + ([svc] if svc_keep and svc is not None else [])
                new = suggest_range(prefix, family, avoid, prefer=[pod]) if prefix is not None else None
                if new is not None:
                    out.pods[family] = new
        if svc is None:
            continue
        final_pod = out.pods.get(family)
        if svc_keep and (final_pod is None or not overlaps(svc, final_pod)):
            out.services[family] = svc
            continue
        limit = bits(family) - MAX_SERVICE_HOST_BITS
        want = min(max(svc.prefixlen, limit), bits(family) - 4)
        avoid = fixed + ([final_pod] if final_pod else [])
        avoid += [c.network for cni in cluster.cnis if uses_own_pool(cni) for c in pools(cni, family)]
        new = suggest_range(want, family, avoid, prefer=[svc, DEFAULT_SERVICE_V4 if family == 4 else None])
        if new is not None:
            out.services[family] = new
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
