"""One consistent set of corrected ranges for a cluster, so that the fixes of different findings
agree with each other and every suggested value passes every rule (docs/address-planning.md).

Per IP family: the node mask is the configured one, or the one that holds kubelet's maxPods (NB107).
The service range is kept if kube-apiserver accepts it and it is clear of the LAN and the nodes; the
pod range is kept if it holds a block for every node (at the node mask and at the per-node blocks of
CNIs that take their pool from it), is at most 16 bits shorter than the node mask, is clear of the
LAN and the nodes, and does not overlap a kept service range (when it only overlaps the service
range, the service range moves instead). A range that must move goes to the user's own address
when that is free, else to the private ranges. Without a pod range, the service range is settled
first and an IPv4 pod range is found beside it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import field

from netblame._record import Record, record
from netblame.ipmath import (
    IPNetwork,
    bits,
    block_addresses,
    free_range,
    host_local_reserved,
    node_blocks,
    overlaps,
    prefix_for_blocks,
    suggest_range,
)
from netblame.model.cidr import Family
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.cluster import (
    FAMILIES,
    cni_block,
    node_address_nets,
    node_count,
    pod_range_fix,
    pools,
    uses_node_podcidrs,
    uses_own_pool,
)
from netblame.plan.settings import mask_setting

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
# A moved service range should leave a range of this size free for pods or a CNI pool placed after it.
SPARE_PREFIX = {4: 16, 6: 56}
# kubeadm puts the cluster DNS Service at the 10th address of the service range (FACTS.md A.1).
DNS_INDEX = 10


def reserved(family: Family, cni: str | None) -> tuple[str, ...]:
    """The addresses of a node block that no pod gets.

    host-local (Flannel's bridge delegate, Calico host-local, and the assumption when no CNI is known):
    :func:`~netblame.ipmath.host_local_reserved`. For Cilium this is derived, not measured: the same
    network and broadcast addresses, the router address of cilium_host and the cilium-health endpoint,
    which Cilium's Kubernetes IPAM documentation lists as per-node addresses: 4 for IPv4, 3 for IPv6.
    """
    if cni == "cilium":
        kept = ("network", "broadcast") if family == 4 else ("network",)
        return (*kept, "cilium_host router", "cilium-health endpoint")
    return host_local_reserved(family)


def usable(family: Family, mask: int, cni: str | None) -> int:
    """Pod addresses in one node block of ``/mask``."""
    return max(block_addresses(family, mask) - len(reserved(family, cni)), 0)


def mask_for(max_pods: int, family: Family, cni: str | None) -> int | None:
    """The longest mask whose block holds ``max_pods`` pods plus the reserved addresses; None when not
    even the whole address space of ``family`` does."""
    mask = bits(family) - (max_pods + len(reserved(family, cni)) - 1).bit_length()
    return mask if mask >= 0 else None


def blocks_per_node(max_pods: int, family: Family, block: int) -> int:
    """How many blocks of ``/block`` a node takes to hold ``max_pods`` pods (Calico nodes borrow further
    blocks from the pool as the first fills)."""
    return -(-max_pods // block_addresses(family, block))


def node_block_user(cluster: ClusterNetwork) -> tuple[bool, str | None]:
    """Whether pods take their addresses from the node-mask blocks (a CNI that uses node podCIDRs, or
    no CNI known), and whose reserved addresses apply (``"cilium"`` or None for host-local)."""
    node_cnis = {c.name for c in cluster.cnis if uses_node_podcidrs(c)}
    return bool(node_cnis or not cluster.cnis), ("cilium" if "cilium" in node_cnis else None)


def pod_node_mask(cluster: ClusterNetwork, family: Family) -> int:
    """The node mask a plan uses: the configured one, or the longest that holds maxPods when the
    configured one does not (NB107), so that every fix agrees on it."""
    mask = cluster.node_mask(family).value
    applies, cni = node_block_user(cluster)
    max_pods = cluster.pods_per_node().value
    better = mask_for(max_pods, family, cni) if applies and usable(family, mask, cni) < max_pods else None
    return mask if better is None else min(mask, better)


def suggested_pod_prefix(mask: int, nodes: int, current: int | None = None, size_mask: int | None = None) -> int | None:
    """The prefix of a pod range to suggest: room for :data:`HEADROOM_NODES` nodes or ``nodes`` in
    blocks of ``/size_mask`` (the node mask, or a CNI's larger per-node block when the range is also
    that CNI's pool), keeping a larger range the user already chose; never more than 16 bits shorter
    than the node mask; None when ``nodes`` cannot fit at all."""
    size = mask if size_mask is None else min(mask, size_mask)
    floor = max(mask - MAX_MASK_DIFF, 0)
    if nodes > 1 << max(size - floor, 0):
        return None
    prefix = max(prefix_for_blocks(max(nodes, HEADROOM_NODES), size) or 0, floor)
    if current is not None and floor <= current < prefix:
        prefix = current
    return prefix


def service_ok(net: IPNetwork) -> bool:
    """kube-apiserver accepts it and it has a 10th address for cluster DNS."""
    return net.prefixlen >= bits(net.version) - MAX_SERVICE_HOST_BITS and net.num_addresses > DNS_INDEX


@record
class AddressPlan(Record):
    """Corrected (or kept) ranges per family."""

    pods: dict[Family, IPNetwork] = field(default_factory=dict)
    services: dict[Family, IPNetwork] = field(default_factory=dict)


def _clear(net: IPNetwork, avoid: list[IPNetwork]) -> bool:
    return not any(overlaps(net, n) for n in avoid)


def cni_node_masks(cluster: ClusterNetwork, family: Family) -> list[int]:
    """What one node takes from a CNI's own pool, as a mask: Cilium's clusterPoolIPv4MaskSize, or
    the Calico blocks maxPods needs (two /26 blocks for 110 pods count as a /25)."""
    out: list[int] = []
    for cni in cluster.cnis:
        block = cni_block(cni, family)
        if block is None or not uses_own_pool(cni):
            continue
        if cni.name == "calico":
            block -= (blocks_per_node(cluster.pods_per_node().value, family, block) - 1).bit_length()
        out.append(block)
    return out


@record
class _Family(Record):
    """What planning one IP family starts from."""

    family: Family
    mask: int  # the node mask
    size_mask: int  # the largest per-node block the pod range must hold one of per node (node mask, Cilium's)
    nodes: int  # 0 when unknown: then a range must hold at least two node blocks (see NB101)
    fixed: list[IPNetwork]  # LAN ranges and node addresses: never moved, always avoided
    pod: IPNetwork | None
    svc: IPNetwork | None
    pools: list[IPNetwork]  # pools of CNIs with their own IPAM that stay where they are
    hints: list[IPNetwork]  # where the CNI expects pods (Flannel's Network, say), tried after the user's range


def _pod_ok(f: _Family, svc: IPNetwork | None) -> bool:
    pod = f.pod
    return (pod is not None and f.mask - MAX_MASK_DIFF <= pod.prefixlen <= f.size_mask
            and node_blocks(pod, f.size_mask) >= (f.nodes or 2) and _clear(pod, f.fixed + ([svc] if svc else [])))


def _smaller(prefix: int | None, nodes: int, size_mask: int) -> range:
    """Prefixes longer than ``prefix`` down to the smallest range that still holds ``nodes`` (two when
    unknown) blocks of ``/size_mask``: tried when the headroom size no longer fits beside the rest."""
    least = prefix_for_blocks(max(nodes, 2), size_mask)
    if prefix is None or least is None:
        return range(0)
    return range(prefix + 1, least + 1)


def _new_pod(f: _Family, svc: IPNetwork | None) -> IPNetwork | None:
    avoid = f.fixed + ([svc] if svc else [])
    # The user's own (larger) size first; if no such range is free, the size the nodes need with headroom,
    # then smaller sizes down to what the nodes need, so that a fix never says no range is left when one is.
    headroom = suggested_pod_prefix(f.mask, f.nodes, None, f.size_mask)
    sizes = [suggested_pod_prefix(f.mask, f.nodes, f.pod.prefixlen if f.pod else None, f.size_mask), headroom,
             *_smaller(headroom, f.nodes, f.size_mask)]
    for prefix in sizes:
        new = suggest_range(prefix, f.family, avoid, prefer=[f.pod, *f.hints]) if prefix is not None else None
        if new is not None:
            return new
    return None


def _pod_and_service(f: _Family, pod: IPNetwork) -> tuple[IPNetwork, IPNetwork] | None:
    """A smaller pod range (still holding the nodes) that leaves room for a service range, when the first
    choice took the last free private range."""
    for prefix in _smaller(pod.prefixlen, f.nodes, f.size_mask):
        smaller = suggest_range(prefix, f.family, f.fixed, prefer=[pod, f.pod, *f.hints])
        svc = _new_service(f, smaller) if smaller is not None else None
        if smaller is not None and svc is not None:
            return smaller, svc
    return None


def _new_service(f: _Family, pod: IPNetwork | None) -> IPNetwork | None:
    assert f.svc is not None
    width = bits(f.family)
    want = min(max(f.svc.prefixlen, width - MAX_SERVICE_HOST_BITS), width - 4)
    avoid = f.fixed + f.pools + ([pod] if pod else [])
    prefer = [f.svc, DEFAULT_SERVICE_V4 if f.family == 4 else None]
    # The user's size (within kube-apiserver's limit) first, then smaller ranges down to 4,096 Services; first
    # among those that leave a /16 free for pods or a CNI pool placed later, so that the service range does
    # not take the last free private range when a smaller one would do.
    sizes = range(want, max(want, width - MIN_SERVICE_HOST_BITS) + 1)
    for spare in (True, False):
        for prefix in sizes:
            new = suggest_range(prefix, f.family, avoid, prefer=prefer)
            if new is not None and (not spare or free_range(SPARE_PREFIX[f.family], f.family, [*avoid, new])):
                return new
    return None


def _service_ok(f: _Family) -> bool:
    return f.svc is not None and service_ok(f.svc) and _clear(f.svc, f.fixed)


def plan_addresses(cluster: ClusterNetwork) -> AddressPlan:
    """Pod and service ranges that pass NB101-NB104, NB109 and NB111 together, where the private
    ranges leave room for them (a family is missing from the plan where they do not)."""
    out = AddressPlan()
    count = node_count(cluster)
    for family in FAMILIES:
        svc, pod = cluster.service_cidr(family), cluster.pod_cidr(family)
        mask = pod_node_mask(cluster, family)
        f = _Family(family=family, mask=mask, size_mask=min([mask, *cni_node_masks(cluster, family)]),
                    nodes=count.count if count else 0,
                    fixed=[c.network for c in cluster.lan if c.family == family] + node_address_nets(cluster, family),
                    pod=pod.network if pod else None, svc=svc.network if svc else None,
                    # CNI pools stay where they are only without a pod range: with one, the fixes point them at it.
                    hints=[c.network for cni in cluster.cnis for c in pools(cni, family)],
                    pools=[] if pod else [c.network for cni in cluster.cnis if uses_own_pool(cni)
                                          for c in pools(cni, family)])
        new_pod: IPNetwork | None = None
        new_svc: IPNetwork | None = None
        if f.pod is None:
            # No pod range yet: settle the service range first, then find pods a place beside it (an
            # IPv4 one, and only for a cluster without any pod range: NB108's fix).
            new_svc = (f.svc if _service_ok(f) else _new_service(f, None)) if f.svc else None
            new_pod = _new_pod(f, new_svc) if family == 4 and not cluster.pod_cidrs else None
        else:
            kept_svc = f.svc if _service_ok(f) else None
            new_pod = f.pod if _pod_ok(f, None) else _new_pod(f, kept_svc)
            if f.svc is not None:
                keep = kept_svc is not None and (new_pod is None or not overlaps(kept_svc, new_pod))
                new_svc = kept_svc if keep else _new_service(f, new_pod)
                if new_svc is None and new_pod is not None and new_pod != f.pod:
                    new_pod, new_svc = _pod_and_service(f, new_pod) or (new_pod, None)
        if new_pod is not None:
            out.pods[family] = new_pod
        if new_svc is not None:
            out.services[family] = new_svc
    return out


def mask_fix(cluster: ClusterNetwork, family: Family, mask: int) -> str:
    """The exact setting for a node mask, in the terms of what sets the cluster up."""
    return mask_setting(cluster, family, mask)


def planned_pod_fix(cluster: ClusterNetwork, family: Family, fallback: str) -> str:
    """The fix that moves the pod range to the plan, with the node mask the plan was made for when
    that differs from the configured one (NB107); ``fallback`` when no range could be planned."""
    pods = plan_addresses(cluster).pods
    if family not in pods:
        return fallback
    masks = [mask_fix(cluster, f, m) for f in pods if (m := pod_node_mask(cluster, f)) != cluster.node_mask(f).value]
    return "; ".join([pod_range_fix(cluster, pods), *masks])


def pool_for(cluster: ClusterNetwork, cni: CniConfig, family: Family, mask: int | None = None) -> IPNetwork | None:
    """The pool a CNI with its own IPAM should use: the planned pod range when there is one (so pods
    get the range the rest of the cluster expects), else a fresh range for the nodes at ``mask`` (by
    default the CNI's own per-node block, else the node mask), clear of the LAN, the nodes and the
    planned service range."""
    if mask is None:
        block = cni_block(cni, family)
        mask = block if block is not None else cluster.node_mask(family).value
    planned = plan_addresses(cluster)
    pod = planned.pods.get(family) if cluster.pod_cidr(family) is not None else None
    if pod is not None and pod.prefixlen <= mask:
        return pod
    count = node_count(cluster)
    blocks = count.count if count else 0
    if cni.name == "calico":  # Calico nodes take as many blocks as maxPods needs (NB107)
        blocks *= blocks_per_node(cluster.pods_per_node().value, family, mask)
    prefix = suggested_pod_prefix(mask, blocks)
    if prefix is None:
        return None
    avoid = [c.network for c in cluster.lan if c.family == family] + node_address_nets(cluster, family)
    avoid += [n for f, n in planned.services.items() if f == family]
    own = pools(cni, family)
    for size in (prefix, *_smaller(prefix, blocks, mask)):
        new = suggest_range(size, family, avoid, prefer=[own[0].network if own else None])
        if new is not None:
            return new
    return None
