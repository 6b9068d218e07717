"""NB111: the pod range is more than 16 bits shorter than the node mask."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import no_room, source_of
from netblame.findings import Diagnostic, Severity
from netblame.model.cluster import ClusterNetwork
from netblame.plan.address import MAX_MASK_DIFF, planned_pod_fix
from netblame.plan.cluster import FAMILIES

KCM_MESSAGE = "New CIDR set failed; the node CIDR size is too big"


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Compare each pod range's prefix with the node mask: at most 16 bits apart."""
    for family in FAMILIES:
        pod = cluster.pod_cidr(family)
        mask = cluster.node_mask(family)
        if pod is None or mask.value - pod.prefixlen <= MAX_MASK_DIFF:
            continue
        kcm = (f"; kube-controller-manager refuses it too (\"{KCM_MESSAGE}\")" if family == 6 else "")
        yield Diagnostic(
            message=(f"pod range {pod.text} is {mask.value - pod.prefixlen} bits shorter than the /{mask.value} node "
                     f"mask ({source_of(mask.origin)}), more than the {MAX_MASK_DIFF} kubeadm allows: kubeadm init "
                     f"stops with \"pod subnet mask ({pod.prefixlen}) and node-mask ({mask.value}) difference is "
                     f"greater than {MAX_MASK_DIFF}\"{kcm}"),
            fix=planned_pod_fix(cluster, family,
                                no_room(f"use a pod range of /{mask.value - MAX_MASK_DIFF} or longer")),
            location=pod.origin,
        )


KUBEADM = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
           "  podSubnet: {pods}\n  serviceSubnet: 10.96.0.0/12,fd00:96::/112\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB111",
        name="pod-range-too-large-for-node-mask",
        title="Pod range more than 16 bits shorter than the node mask",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("The pod range's prefix is more than 16 bits shorter than the node mask (more than 65,536 node "
                 "blocks)."),
        rationale=(
            "kube-controller-manager tracks node blocks in a bitmap of at most 2^16 entries. For IPv6 it refuses a "
            f"larger difference at start (\"{KCM_MESSAGE}\"), so with the default /64 node mask an IPv6 pod range "
            "must be /48 or longer; kubeadm checks the same limit for both families before init (\"pod subnet mask "
            "(...) and node-mask (...) difference is greater than 16\"). A /32 IPv6 pod range, or an IPv4 /7 at "
            "the default /24 node mask, is refused."
        ),
        fix="Use a pod range at most 16 bits shorter than the node mask (an IPv6 /48 to /56 at the default /64).",
        references=(
            "kubernetes/kubernetes pkg/controller/nodeipam/ipam/cidrset/cidr_set.go (clusterSubnetMaxDiff = 16)",
            "kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/validation/validation.go (PodSubnetNodeMaskMaxDiff)",
        ),
        examples=(
            Example(name="a dual-stack cluster with an IPv6 /32 pod range",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16,fd00:10::/32")),)),
            Example(name="a dual-stack cluster with an IPv6 /56 pod range",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16,fd00:10::/56")),), fires=False),
        ),
    ),
    check=check,
)
