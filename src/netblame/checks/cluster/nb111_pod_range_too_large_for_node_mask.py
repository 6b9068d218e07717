"""NB111: the pod range is more than 16 bits shorter than the node mask."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import no_room, source_of
from netblame.findings import Diagnostic, Severity
from netblame.model.cidr import Family
from netblame.model.cluster import ClusterNetwork
from netblame.plan.address import MAX_MASK_DIFF, planned_pod_fix, pool_for
from netblame.plan.cluster import FAMILIES, cni_pool_fix, pools, uses_own_pool
from netblame.plan.settings import distribution

KCM_MESSAGE = "New CIDR set failed; the node CIDR size is too big"


# Distributions that run kubeadm, whose preflight checks the limit for both families.
KUBEADM_BASED = frozenset({"kubeadm", "kind", "minikube"})
CILIUM_MESSAGE = "unable to initialize IPv6 allocator"


def _pod_range(cluster: ClusterNetwork, family: Family) -> Iterator[Diagnostic]:
    """kube-controller-manager's cidrset refuses an IPv6 difference over 16 bits; kubeadm's preflight refuses
    either family. An IPv4 range under a distribution without kubeadm (k3s, RKE2, k0s, Talos) is not limited."""
    pod = cluster.pod_cidr(family)
    mask = cluster.node_mask(family)
    kubeadm = distribution(cluster) in KUBEADM_BASED
    if pod is None or mask.value - pod.prefixlen <= MAX_MASK_DIFF or (family == 4 and not kubeadm):
        return
    parts = []
    if kubeadm:
        parts.append(f"kubeadm init stops with \"pod subnet mask ({pod.prefixlen}) and node-mask ({mask.value}) "
                     f"difference is greater than {MAX_MASK_DIFF}\"")
    if family == 6:
        parts.append(f"kube-controller-manager refuses it (\"{KCM_MESSAGE}\")")
    yield Diagnostic(
        message=(f"pod range {pod.text} is {mask.value - pod.prefixlen} bits shorter than the /{mask.value} node "
                 f"mask ({source_of(mask.origin)}), more than the {MAX_MASK_DIFF} the node-block bitmap allows: "
                 f"{'; '.join(parts)}"),
        fix=planned_pod_fix(cluster, family, no_room(f"use a pod range of /{mask.value - MAX_MASK_DIFF} or longer")),
        location=pod.origin,
    )


def _cilium_pools(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Cilium's operator carves its cluster-pool with the same cidrset allocator, at clusterPoolIPv6MaskSize
    (FACTS B.2): an IPv6 pool more than 16 bits shorter than that fails the operator's IPv6 allocator."""
    for cni in cluster.cnis:
        block = cni.block_v6
        if cni.name != "cilium" or not uses_own_pool(cni) or block is None:
            continue
        for pool in pools(cni, 6):
            if block.value - pool.prefixlen <= MAX_MASK_DIFF:
                continue
            new = pool_for(cluster, cni, 6, block.value)
            yield Diagnostic(
                message=(f"Cilium cluster-pool {pool.text} is {block.value - pool.prefixlen} bits shorter than its "
                         f"/{block.value} per-node mask (clusterPoolIPv6MaskSize, {source_of(block.origin)}), more "
                         f"than the {MAX_MASK_DIFF} the node-block bitmap allows: cilium-operator stops with "
                         f"\"{CILIUM_MESSAGE}: {KCM_MESSAGE}\""),
                fix=(cni_pool_fix(cni, {6: new}) if new is not None and new.prefixlen >= block.value - MAX_MASK_DIFF
                     else no_room(f"use a pool of /{block.value - MAX_MASK_DIFF} or longer")),
                location=pool.origin,
            )


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Compare each range with the per-node mask of the allocator that carves it: at most 16 bits apart."""
    for family in FAMILIES:
        yield from _pod_range(cluster, family)
    yield from _cilium_pools(cluster)


KUBEADM = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
           "  podSubnet: {pods}\n  serviceSubnet: 10.96.0.0/12,fd00:96::/112\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB111",
        name="pod-range-too-large-for-node-mask",
        title="Pod range more than 16 bits shorter than the node mask",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("The pod range's prefix (or a Cilium IPv6 pool's) is more than 16 bits shorter than the per-node "
                 "mask of the allocator that carves it (more than 65,536 node blocks)."),
        rationale=(
            "kube-controller-manager tracks node blocks in a bitmap of at most 2^16 entries. For IPv6 it refuses a "
            f"larger difference at start (\"{KCM_MESSAGE}\"), so with the default /64 node mask an IPv6 pod range "
            "must be /48 or longer; kubeadm checks the same limit for both families before init (\"pod subnet mask "
            "(...) and node-mask (...) difference is greater than 16\"), so an IPv4 /7 at the default /24 is refused "
            "where kubeadm (or kind, minikube) sets the cluster up, but not under k3s, RKE2, k0s or Talos. Cilium's "
            "operator carves its cluster-pool with the same allocator at clusterPoolIPv6MaskSize (default /120), so "
            "an IPv6 pool must be /104 or longer there."
        ),
        fix="Use a pod range at most 16 bits shorter than the node mask (an IPv6 /48 to /56 at the default /64).",
        references=(
            "kubernetes/kubernetes pkg/controller/nodeipam/ipam/cidrset/cidr_set.go (clusterSubnetMaxDiff = 16)",
            "kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/validation/validation.go (PodSubnetNodeMaskMaxDiff)",
            "cilium/cilium pkg/ipam/cidrset/cidr_set.go and pkg/ipam/allocator/clusterpool (IPv6 allocator)",
        ),
        examples=(
            Example(name="a dual-stack cluster with an IPv6 /32 pod range",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16,fd00:10::/32")),)),
            Example(name="a Cilium IPv6 pool of /64 at the default /120 per-node mask",
                    files=(("cilium-values.yaml", "ipv6:\n  enabled: true\nipam:\n  mode: cluster-pool\n  operator:\n"
                                                  "    clusterPoolIPv6PodCIDRList: [\"fd00:10::/64\"]\n"),)),
            Example(name="an IPv4 /7 pod range under k3s, whose controller-manager does not limit IPv4",
                    files=(("config.yaml", "cluster-cidr: 10.0.0.0/7\nwrite-kubeconfig-mode: '0644'\n"),),
                    fires=False),
            Example(name="a dual-stack cluster with an IPv6 /56 pod range",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16,fd00:10::/56")),), fires=False),
        ),
    ),
    check=check,
)
