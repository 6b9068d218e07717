"""NB102: the pod range is smaller than one node block."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import NO_PODCIDR_LOG, no_room, source_of
from netblame.findings import Diagnostic, Severity
from netblame.model.cluster import ClusterNetwork
from netblame.plan.address import planned_pod_fix, pool_for
from netblame.plan.cluster import FAMILIES, cni_block, cni_pool_fix, pools, uses_own_pool

KCM_MESSAGE = ("Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to "
               "--node-cidr-mask-size configured for CIDR family")


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Compare each pod range's prefix with the node mask, and each Cilium pool with its mask size."""
    for family in FAMILIES:
        pod = cluster.pod_cidr(family)
        mask = cluster.node_mask(family)
        if pod is not None and pod.prefixlen > mask.value:
            yield Diagnostic(
                message=(f"pod range {pod.text} is smaller than one block of the /{mask.value} node mask "
                         f"({source_of(mask.origin)}): kube-controller-manager refuses to start with "
                         f"\"{KCM_MESSAGE}\" and kubeadm init stops with \"the size of pod subnet with mask "
                         f"{pod.prefixlen} is smaller than the size of node subnet with mask {mask.value}\""),
                fix=planned_pod_fix(cluster, family, no_room(f"use a pod range of /{mask.value} or larger")),
                location=pod.origin,
            )
        for cni in cluster.cnis:
            block = cni_block(cni, family)
            own = pools(cni, family)
            if cni.name != "cilium" or not uses_own_pool(cni) or block is None:
                continue
            for pool in own:
                if pool.prefixlen <= block:
                    continue
                pool_new = pool_for(cluster, cni, family, block)
                log = NO_PODCIDR_LOG["cilium"].format(family=family)
                yield Diagnostic(
                    message=(f"Cilium cluster-pool {pool.text} is smaller than one "
                             f"/{block} block (clusterPoolIPv{family}MaskSize): the operator has no pod CIDR to "
                             f"give any node and agents wait with \"{log}\""),
                    fix=(cni_pool_fix(cni, {family: pool_new}) if pool_new
                         else no_room(f"use a pool of /{block} or larger")),
                    location=pool.origin,
                )


RULE = Rule(
    meta=RuleMeta(
        id="NB102",
        name="pod-range-smaller-than-node-block",
        title="Pod range is smaller than one node block",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary="The pod range's prefix is longer than the node mask, so not even one node block fits in it.",
        rationale=(
            "kube-controller-manager checks that the cluster CIDR's mask is less than or equal to the node mask "
            f"and otherwise exits with \"{KCM_MESSAGE}\" (older releases: \"... must be less than "
            "--node-cidr-mask-size\"); kubeadm init refuses the same configuration before it starts. Cilium's "
            "cluster-pool operator has no such check: a pool smaller than clusterPoolIPv4MaskSize simply yields no "
            "pod CIDRs, and every agent waits for one."
        ),
        fix=("Use a pod range at least as large as one node block, better one with room for every node (netblame "
             "suggests one), or a longer node mask."),
        references=(
            "kubernetes/kubernetes pkg/controller/nodeipam/node_ipam_controller_test.go (Invalid --cluster-cidr)",
            "kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/validation/validation.go (ValidatePodSubnetNodeMask)",
            "cilium/cilium pkg/ipam/cidrset/cidr_set.go (no IPv4 mask-versus-prefix check)",
        ),
        examples=(
            Example(name="a /24 pod range with a /20 node mask (the kubeadm v1beta4 docs example)",
                    files=(("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                            "networking:\n  podSubnet: 10.244.0.0/24\ncontrollerManager:\n"
                                            "  extraArgs:\n    - name: node-cidr-mask-size\n      value: \"20\"\n"),)),
            Example(name="a /16 pod range with a /20 node mask",
                    files=(("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                            "networking:\n  podSubnet: 10.244.0.0/16\ncontrollerManager:\n"
                                            "  extraArgs:\n    - name: node-cidr-mask-size\n      value: \"20\"\n"),),
                    fires=False),
        ),
    ),
    check=check,
)
