"""NB103: pod range and service range overlap."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import describe_ipam, no_room, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import contains, overlaps
from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.address import plan_addresses, planned_pod_fix, pool_for
from netblame.plan.cluster import cni_pool_fix, own_pools, service_range_fix

KCM_OCCUPY = ("error creating ipam controller: failed after occupy serviceCIDR: CIDR allocation failed; there are "
              "no remaining CIDRs left to allocate in the accepted range")


def _pod_ranges(cluster: ClusterNetwork) -> Iterator[tuple[str, Cidr, CniConfig | None]]:
    """Every range pods take addresses from: the cluster pod range and the pools of CNIs with their own IPAM."""
    for cidr in cluster.pod_cidrs:
        yield "pod range", cidr, None
    for cni, cidr in own_pools(cluster):
        yield f"{describe_ipam(cni)} pool", cidr, cni


def _fix(cluster: ClusterNetwork, pod: Cidr, cni: CniConfig | None) -> str:
    """Move a CNI pool to where the plan puts pods; otherwise move whichever of the service range and
    the pod range the plan moves."""
    family = pod.family
    planned = plan_addresses(cluster)
    if cni is not None:
        new = pool_for(cluster, cni, family)
        if new is not None:
            return cni_pool_fix(cni, {family: new})
    service = cluster.service_cidr(family)
    if family in planned.services and (service is None or planned.services[family] != service.network):
        return service_range_fix(cluster, planned.services)
    if family in planned.pods and planned.pods[family] != pod.network:
        return planned_pod_fix(cluster, family, no_room("move the pod range clear of the services"))
    return no_room("move the service range clear of the pods")


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Yield one diagnostic per pod range or CNI pool that shares addresses with a service range."""
    for label, pod, cni in _pod_ranges(cluster):
        service = cluster.service_cidr(pod.family)
        if service is None or not overlaps(pod.network, service.network):
            continue
        if label == "pod range" and contains(service.network, pod.network):
            effect = f"kube-controller-manager cannot start its node IPAM controller (\"{KCM_OCCUPY}\")"
        elif label == "pod range":
            effect = ("kube-controller-manager marks the shared node blocks as used, and a pod and a Service can "
                      "still end up with the same address where other allocators do not know that")
        else:
            effect = ("that CNI hands pods addresses that kube-apiserver also gives to Services, so traffic to "
                      "one reaches the other")
        yield Diagnostic(
            message=(f"{label} {pod.text} ({source_of(pod.origin)}) and service range {service.text} "
                     f"({source_of(service.origin)}) overlap: {effect}"),
            fix=_fix(cluster, pod, cni),
            location=pod.origin,
        )


KUBEADM = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"

RULE = Rule(
    meta=RuleMeta(
        id="NB103",
        name="pod-service-overlap",
        title="Pod range and service range overlap",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("The pod range (or the pool a CNI with its own IPAM gives pods addresses from) shares addresses "
                 "with the service range."),
        rationale=(
            "Service addresses are virtual: kube-proxy or the CNI rewrites them on the way out of every pod. When a "
            "pod holds an address inside the service range, packets meant for it can be taken for Service traffic, "
            "and a Service created later can receive the very address a pod already has. kube-controller-manager "
            "marks overlapping node blocks as used, and when the service range contains the whole cluster CIDR it "
            f"fails with \"{KCM_OCCUPY}\". A classic case: Cilium's default cluster-pool 10.0.0.0/8 contains "
            "kubeadm's default service range 10.96.0.0/12."
        ),
        fix="Move the service range (or the pod range) so the two share no address; netblame suggests a free one.",
        references=(
            "kubernetes/kubernetes pkg/controller/nodeipam/ipam/range_allocator.go (filterOutServiceRange)",
            "kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta4/defaults.go (serviceSubnet 10.96.0.0/12)",
            "cilium/cilium install/kubernetes/cilium/values.yaml (clusterPoolIPv4PodCIDRList default 10.0.0.0/8)",
        ),
        examples=(
            Example(name="a pod range inside the service range",
                    files=(("kubeadm.yaml", KUBEADM + "  podSubnet: 10.96.0.0/16\n  serviceSubnet: 10.96.0.0/12\n"),)),
            Example(name="kubeadm's defaults with Flannel's usual pod range",
                    files=(("kubeadm.yaml", KUBEADM + "  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n"),),
                    fires=False),
        ),
    ),
    check=check,
)
