"""NB105: the CNI's own pool differs from, or lies outside, the pod range kubeadm and the
controller-manager use; say which one takes effect for that CNI and IPAM mode."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import describe_ipam, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import contains
from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.address import plan_addresses, planned_pod_fix
from netblame.plan.cluster import CNI_LABEL, FAMILIES, cni_pool_fix, pools, uses_node_podcidrs, uses_own_pool

FLANNEL_MESSAGE = "subnet %q specified in the flannel net config doesn't contain %q PodCIDR of the %q node"


def _texts(cidrs: tuple[Cidr, ...]) -> str:
    return ", ".join(c.text for c in cidrs)


def _pool_fix(cluster: ClusterNetwork, cni: CniConfig, pod: Cidr) -> str:
    """Point the pool at the pod range; when the pod range itself must change (too small for the
    CNI's per-node blocks, say), change both together."""
    planned = plan_addresses(cluster).pods.get(pod.family)
    if planned is not None and planned != pod.network:
        return planned_pod_fix(cluster, pod.family, "")
    return cni_pool_fix(cni, {pod.family: pod.network})


def _own_pool(cluster: ClusterNetwork, cni: CniConfig, pod: Cidr, own: tuple[Cidr, ...]) -> Iterator[Diagnostic]:
    """Cilium cluster-pool, Calico IPAM: the CNI's pool takes effect, kubeadm's range does not."""
    if [c.network for c in own] == [pod.network]:
        return
    inside = all(contains(pod.network, c.network) for c in own)
    unset = all(c.origin.default is not None for c in own)
    said = (f"its default pool {_texts(own)} ({source_of(own[0].origin)}), because the configuration leaves it unset"
            if unset else f"its own pool {_texts(own)} ({source_of(own[0].origin)})")
    effect = ("Node podCIDRs carved from the pod range go unused, and anything configured for the pod range "
              "(routes, firewalls, native-routing CIDRs, other tools) no longer matches the pod addresses")
    yield Diagnostic(
        message=(f"{describe_ipam(cni)} gives pods addresses from {said}, not from the pod range {pod.text} "
                 f"({source_of(pod.origin)}) that kubeadm and kube-controller-manager use; "
                 f"{'the pool lies inside the pod range, but ' if inside else 'the pool lies outside it: '}{effect}"),
        fix=_pool_fix(cluster, cni, pod),
        location=own[0].origin,
        severity=Severity.INFO if inside else None,
    )


def _flannel_log(cluster: ClusterNetwork, network: Cidr, pod: Cidr) -> str:
    """flanneld's error, filled in with the first node podCIDR the Network misses (or the pod range)."""
    for node in cluster.nodes:
        for cidr in node.pod_cidrs:
            if cidr.family == network.family and not contains(network.network, cidr.network):
                return FLANNEL_MESSAGE.replace("%q", '"{}"').format(network.text, cidr.text, node.name)
    return FLANNEL_MESSAGE.replace("%q", '"{}"').format(network.text, pod.text, "<node>")


def _node_podcidrs(cluster: ClusterNetwork, cni: CniConfig, pod: Cidr,
                   own: tuple[Cidr, ...]) -> Iterator[Diagnostic]:
    """Flannel, Cilium ipam kubernetes, Calico host-local: node podCIDRs take effect."""
    explicit = tuple(c for c in own if c.origin.default is None)
    if not explicit or [c.network for c in explicit] == [pod.network]:
        return
    if cni.name == "flannel":
        if any(contains(c.network, pod.network) for c in explicit):
            return
        yield Diagnostic(
            message=(f"Flannel takes each node's podCIDR from the pod range {pod.text} ({source_of(pod.origin)}), "
                     f"but its Network {_texts(explicit)} ({source_of(explicit[0].origin)}) does not contain that "
                     f"range: flanneld stops with \"{_flannel_log(cluster, explicit[0], pod)}\""),
            fix=cni_pool_fix(cni, {pod.family: pod.network}),
            location=explicit[0].origin,
            severity=Severity.ERROR,
        )
        return
    yield Diagnostic(
        message=(f"{describe_ipam(cni)} takes each node's podCIDR (carved from the pod range {pod.text}, "
                 f"{source_of(pod.origin)}) and ignores the pool {_texts(explicit)} "
                 f"({source_of(explicit[0].origin)}) set in its configuration"),
        fix=f"remove the unused {CNI_LABEL[cni.name]} pool setting, or set it to {pod.network} so the two agree",
        location=explicit[0].origin,
        severity=Severity.INFO,
    )


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Compare every CNI's pools with the pod range of the same family."""
    for cni in cluster.cnis:
        for family in FAMILIES:
            pod = cluster.pod_cidr(family)
            own = pools(cni, family)
            if pod is None or not own:
                continue
            if uses_own_pool(cni):
                yield from _own_pool(cluster, cni, pod, own)
            elif uses_node_podcidrs(cni):
                yield from _node_podcidrs(cluster, cni, pod, own)


KUBEADM = ("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
                           "  podSubnet: 172.16.0.0/16\n  serviceSubnet: 10.96.0.0/12\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB105",
        name="cni-pool-mismatch",
        title="CNI pool differs from the pod range",
        severity=Severity.WARNING,
        applies_to=ClusterNetwork,
        summary=("The CNI's own pool (Cilium cluster-pool list, Calico IPPool, Flannel Network) differs from, or "
                 "lies outside, the pod range kubeadm and kube-controller-manager use."),
        rationale=(
            "Which range pods really get depends on the CNI and its IPAM mode. Cilium in cluster-pool mode (its "
            "default) and Calico with calico-ipam hand out addresses from their own pool and ignore kubeadm's "
            "--pod-network-cidr: Cilium's pool is 10.0.0.0/8 and Calico's 192.168.0.0/16 unless set, whatever kubeadm "
            "was told. Flannel, Cilium with ipam kubernetes and Calico with host-local IPAM take each node's "
            "spec.podCIDR instead, which kube-controller-manager carves from the pod range; Flannel additionally "
            f"requires its Network to contain every one (\"{FLANNEL_MESSAGE}\"). When the two disagree, routes, "
            "firewall rules and native-routing settings written for one range do not match the pods."
        ),
        fix="Set the CNI's pool to the pod range (the exact key is in the finding), or the pod range to the pool.",
        references=(
            "cilium/cilium install/kubernetes/cilium/values.yaml (ipam.mode cluster-pool, clusterPoolIPv4PodCIDRList)",
            "cilium/cilium Documentation/network/concepts/ipam/kubernetes.rst",
            "projectcalico/calico manifests/calico.yaml (CALICO_IPV4POOL_CIDR: should fall within --cluster-cidr)",
            "flannel-io/flannel pkg/subnet/kube/kube.go",
        ),
        examples=(
            Example(name="Cilium's default cluster-pool beside kubeadm's pod range",
                    files=(KUBEADM, ("cilium-values.yaml", "ipam:\n  mode: cluster-pool\n"))),
            Example(name="Flannel's Network missing the pod range",
                    files=(KUBEADM, ("net-conf.json", '{\n  "Network": "10.244.0.0/16",\n'
                                                      '  "Backend": {"Type": "vxlan"}\n}\n'))),
            Example(name="Cilium's pool set to the pod range",
                    files=(KUBEADM, ("cilium-values.yaml", "ipam:\n  mode: cluster-pool\n  operator:\n"
                                                           "    clusterPoolIPv4PodCIDRList: [\"172.16.0.0/16\"]\n")),
                    fires=False),
        ),
    ),
    check=check,
)
