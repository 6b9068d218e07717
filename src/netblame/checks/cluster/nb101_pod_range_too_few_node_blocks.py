"""NB101: the pod range holds fewer node blocks than the cluster has (or plans) nodes."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import NO_PODCIDR_LOG, no_room, plural, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import node_blocks
from netblame.model.cidr import Cidr, Family
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.address import planned_pod_fix, pool_for
from netblame.plan.cluster import (
    CNI_LABEL,
    FAMILIES,
    NodeCount,
    cni_block,
    cni_pool_fix,
    node_count,
    pools,
    uses_node_podcidrs,
    uses_own_pool,
)


def _shortfall(fit: int, count: NodeCount | None) -> str | None:
    """``1 of 4 nodes get a range, 3 are left without one``; None when all fit."""
    if count is None:
        return None if fit > 1 else "it fits exactly one node, so every node after the first gets no pod range"
    if fit >= count.count:
        return None
    left = count.count - fit
    return (f"{fit} of {plural(count.count, 'node')} ({count.source}) get a pod range, "
            f"{left} {'is' if left == 1 else 'are'} left without one")


def _consequence(cluster: ClusterNetwork, pod: Cidr, family: Family) -> tuple[Severity | None, str]:
    """How bad a short pod range is, given what the CNIs take their addresses from."""
    own = [c for c in cluster.cnis if uses_own_pool(c)]
    same = [c for c in own if any(p.network == pod.network for p in pools(c, family))]
    by_node = [c for c in cluster.cnis if uses_node_podcidrs(c)]
    if by_node or same:
        cni = (by_node or same)[0]
        log = {"cilium": f" (\"{NO_PODCIDR_LOG['cilium'].format(family=family)}\")",
               "flannel": " (\"pod cidr not assigned\")"}.get(cni.name, "")
        where = "node podCIDRs" if by_node else "the same range in its own pool"
        return None, (f"; {CNI_LABEL[cni.name]} takes pod addresses from {where}, so it never becomes ready on the "
                      f"others{log}")
    if own:
        return Severity.WARNING, (f"; {', '.join(CNI_LABEL[c.name] for c in own)} takes pod addresses from its own "
                                  "pool, so this only leaves Node podCIDRs unset and makes kube-controller-manager "
                                  "record CIDRNotAvailable events")
    return None, "; a CNI that takes pod addresses from node podCIDRs has none to give pods there"


def _kcm(cluster: ClusterNetwork, family: Family, count: NodeCount | None) -> Iterator[Diagnostic]:
    pod = cluster.pod_cidr(family)
    if pod is None or (cluster.allocate_node_cidrs is not None and not cluster.allocate_node_cidrs.value):
        return
    mask = cluster.node_mask(family)
    fit = node_blocks(pod.network, mask.value)
    shortfall = _shortfall(fit, count) if fit else None
    if shortfall is None:
        return
    severity, tail = _consequence(cluster, pod, family)
    yield Diagnostic(
        message=(f"pod range {pod.text} holds {plural(fit, 'block')} of the /{mask.value} node mask "
                 f"({source_of(mask.origin)}): {shortfall}{tail}"),
        fix=planned_pod_fix(cluster, family, no_room("use a larger pod range, or a longer node mask")),
        location=pod.origin,
        severity=severity,
    )


def _cni_pool(cluster: ClusterNetwork, cni: CniConfig, family: Family,
              count: NodeCount | None) -> Iterator[Diagnostic]:
    mask = cni_block(cni, family)
    own = pools(cni, family)
    if not uses_own_pool(cni) or cni.name != "cilium" or mask is None or not own:
        return
    pod = cluster.pod_cidr(family)
    if pod is not None and [p.network for p in own] == [pod.network] and mask == cluster.node_mask(family).value:
        return  # the same range at the same mask: the pod-range finding already says it, fix included
    fit = sum(node_blocks(p.network, mask) for p in own)
    shortfall = _shortfall(fit, count) if fit else None
    if shortfall is None:
        return
    first: Cidr = own[0]
    new = pool_for(cluster, cni, family, mask)
    yield Diagnostic(
        message=(f"Cilium cluster-pool {', '.join(p.text for p in own)} holds "
                 f"{plural(fit, 'block')} of /{mask} (clusterPoolIPv{family}MaskSize): {shortfall}; the Cilium "
                 "agent on those nodes waits for a pod CIDR that never comes"),
        fix=cni_pool_fix(cni, {family: new}) if new else no_room("give the Cilium pool a larger range"),
        location=first.origin,
    )


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Compare the node blocks each allocator can hand out with the node count."""
    count = node_count(cluster)
    for family in FAMILIES:
        yield from _kcm(cluster, family, count)
        for cni in cluster.cnis:
            yield from _cni_pool(cluster, cni, family, count)


KUBEADM_24 = ("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                              "networking:\n  podSubnet: 172.16.0.0/24\n  serviceSubnet: 10.96.0.0/12\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB101",
        name="pod-range-too-few-node-blocks",
        title="Pod range holds fewer node blocks than there are nodes",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("The pod range, cut into per-node blocks at the node mask, gives fewer blocks than the cluster has "
                 "or plans nodes; a pod range whose prefix equals the node mask fits exactly one node."),
        rationale=(
            "kube-controller-manager carves one block of the node mask (default /24 for IPv4, /64 for IPv6) out of "
            "--cluster-cidr for every node, 2^(node mask - pod prefix) blocks in all. When they run out it logs "
            "'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range' and the "
            "node keeps an empty spec.podCIDR, so a CNI that takes its addresses from there (Flannel, Cilium in "
            "kubernetes IPAM mode) never starts on it. `kubeadm init --pod-network-cidr 172.16.0.0/24` on a four-node "
            "cluster is the classic case: one node works, three do not, and nothing warns before install. Cilium's "
            "cluster-pool has the same arithmetic with its own pool and clusterPoolIPv4MaskSize."
        ),
        fix=("Give the pod range room for every node at the node mask (netblame suggests a range with room for 256 "
             "nodes, clear of the service range, the LAN and the node addresses) and set the same range in the CNI's "
             "own configuration."),
        references=(
            "kubernetes/kubernetes pkg/controller/nodeipam/ipam/cidrset/cidr_set.go "
            "(maxCIDRs = 1 << (subNetMaskSize - clusterMaskSize); ErrCIDRRangeNoCIDRsRemaining)",
            "kubernetes/kubernetes cmd/kube-controller-manager/app/core.go (default node masks 24 and 64)",
            "cilium/cilium install/kubernetes/cilium/values.yaml (ipam.operator.clusterPoolIPv4MaskSize)",
        ),
        examples=(
            Example(name="a /24 pod range for four nodes at the default /24 node mask", files=(KUBEADM_24,),
                    args=("--nodes", "4")),
            Example(name="a /24 pod range and no node count: one node only", files=(KUBEADM_24,)),
            Example(name="a /16 pod range for four nodes",
                    files=(("kubeadm.yaml", KUBEADM_24[1].replace("172.16.0.0/24", "172.16.0.0/16")),),
                    args=("--nodes", "4"), fires=False),
        ),
    ),
    check=check,
)
