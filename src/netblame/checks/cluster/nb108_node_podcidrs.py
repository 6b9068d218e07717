"""NB108: node podCIDRs that overlap each other, lie outside the pod range, or are missing where the
CNI needs them (Flannel, Cilium ipam kubernetes, Calico host-local)."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import NO_PODCIDR_LOG, names, no_room, plural, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import contains, node_blocks, overlapping_earlier
from netblame.model.cidr import Cidr, Family
from netblame.model.cluster import ClusterNetwork
from netblame.plan.address import planned_pod_fix
from netblame.plan.cluster import CNI_LABEL, FAMILIES, uses_node_podcidrs

# kube-apiserver's answer to any change of a podCIDR once set (pkg/apis/core/validation, ValidateNodeUpdate).
IMMUTABLE = 'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'
REJOIN = f"spec.podCIDR cannot be changed on an existing Node (\"{IMMUTABLE}\")"


def _overlaps(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """One finding for all overlapping podCIDRs, naming each node that overlaps an earlier one."""
    items = [((node, cidr), cidr.network) for node in cluster.nodes for cidr in node.pod_cidrs]
    pairs = overlapping_earlier(items)
    if not pairs:
        return
    listed = names([f"{b_node.name} {b.text} with {a_node.name} {a.text}" for (a_node, a), (b_node, b) in pairs])
    (_first, _), (node_b, b) = pairs[0]
    yield Diagnostic(
        message=(f"{plural(len(pairs), 'node')} {'has a podCIDR' if len(pairs) == 1 else 'have podCIDRs'} "
                 f"overlapping another node's: {listed}; pods on two nodes can get the same address, and each "
                 "node routes the other's pods to itself"),
        fix=(f"`kubectl delete node {node_b.name}` (and each other node named) and rejoin it so "
             f"kube-controller-manager assigns a free block: {REJOIN}"),
        location=b.origin,
    )


def _outside(cluster: ClusterNetwork, family: Family, pod: Cidr) -> Iterator[Diagnostic]:
    stray = [(node, cidr) for node in cluster.nodes for cidr in node.pod_cidrs
             if cidr.family == family and not contains(pod.network, cidr.network)]
    if not stray:
        return
    listed = names([f"{n.name} {c.text}" for n, c in stray])
    yield Diagnostic(
        message=(f"{plural(len(stray), 'node')} {'has a podCIDR' if len(stray) == 1 else 'have podCIDRs'} outside the "
                 f"pod range {pod.text} ({source_of(pod.origin)}): {listed}; routes and CNI settings written for the "
                 "pod range do not cover them"),
        fix=(f"make the pod range contain them, or `kubectl delete node {stray[0][0].name}` and rejoin it so "
             f"kube-controller-manager assigns a block from {pod.network}"),
        location=stray[0][1].origin,
    )


def _missing(cluster: ClusterNetwork, family: Family) -> Iterator[Diagnostic]:
    cnis = [c for c in cluster.cnis if uses_node_podcidrs(c)]
    if not cnis or not cluster.nodes:
        return
    pod = cluster.pod_cidr(family)
    if pod is None and (family == 6 or any(c.family == 6 for c in cluster.pod_cidrs)):
        return  # IPv6 only matters where the cluster has an IPv6 pod range; IPv4 is always expected
    without = [n for n in cluster.nodes if not any(c.family == family for c in n.pod_cidrs)]
    if not without:
        return
    cni = cnis[0]
    log = NO_PODCIDR_LOG.get(cni.name, "").format(node=without[0].name, family=family)
    fails = f"it fails there with \"{log}\"" if log else "no pod starts there"
    allocate = cluster.allocate_node_cidrs
    if allocate is not None and not allocate.value:
        why = f"kube-controller-manager runs with --allocate-node-cidrs=false ({source_of(allocate.origin)})"
        fix = "kube-controller-manager `--allocate-node-cidrs=true` with `--cluster-cidr` set to the pod range"
    elif pod is None:
        why = "no pod range is configured, so kube-controller-manager does not allocate node blocks"
        fix = planned_pod_fix(cluster, family, no_room("configure a pod range"))
    elif node_blocks(pod.network, cluster.node_mask(family).value) < len(cluster.nodes):
        why = f"the pod range {pod.text} has run out of node blocks (see NB101)"
        fix = planned_pod_fix(cluster, family, no_room("enlarge the pod range"))
    else:
        why = "kube-controller-manager has not assigned them one; look for CIDRNotAvailable events on the nodes"
        fix = "`kubectl describe node " + without[0].name + "` and kube-controller-manager's log show why"
    yield Diagnostic(
        message=(f"{len(without)} of {plural(len(cluster.nodes), 'node')} {'has' if len(without) == 1 else 'have'} "
                 f"no IPv{family} podCIDR "
                 f"({names([n.name for n in without])}), but {CNI_LABEL[cni.name]} takes pod addresses from it: "
                 f"{fails}; {why}"),
        fix=fix,
        location=without[0].origin,
    )


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Sweep node podCIDRs once for overlaps; check containment and presence per family."""
    yield from _overlaps(cluster)
    for family in FAMILIES:
        pod = cluster.pod_cidr(family)
        if pod is not None:
            yield from _outside(cluster, family, pod)
        yield from _missing(cluster, family)


KUBEADM = ("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
                           "  podSubnet: 10.244.0.0/16\n")
FLANNEL = ("net-conf.json", '{\n  "Network": "10.244.0.0/16",\n  "Backend": {"Type": "vxlan"}\n}\n')
NODES = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {{name: node-a}}
  spec: {{podCIDR: 10.244.1.0/24}}
  status:
    addresses: [{{type: InternalIP, address: 192.168.1.21}}]
- apiVersion: v1
  kind: Node
  metadata: {{name: node-b}}
  spec: {b}
  status:
    addresses: [{{type: InternalIP, address: 192.168.1.22}}]
"""

RULE = Rule(
    meta=RuleMeta(
        id="NB108",
        name="node-podcidrs",
        title="Node podCIDRs overlap, stray outside the pod range, or are missing",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("The podCIDRs nodes carry (kubectl get nodes) overlap each other, lie outside the pod range, or are "
                 "missing on nodes whose CNI needs one (Flannel, Cilium with ipam kubernetes, Calico host-local)."),
        rationale=(
            "Flannel with --kube-subnet-mgr, Cilium in kubernetes IPAM mode and Calico with host-local IPAM give pods "
            "addresses from the node's spec.podCIDR. Without one, flanneld exits with 'failed to acquire lease: node "
            "\"<name>\" pod cidr not assigned' and the Cilium agent waits with 'required IPv4 PodCIDR not available', "
            "so no pod starts on that node. Overlapping podCIDRs (set by hand, or left over from an earlier pod range) "
            "give two nodes the same pod addresses; podCIDRs outside the pod range are not covered by routes and CNI "
            f"settings made for it. A podCIDR, once set, cannot be changed: kube-apiserver answers \"{IMMUTABLE}\"."
        ),
        fix=("Let kube-controller-manager allocate node blocks from a pod range large enough for every node; a node "
             "with a wrong podCIDR must be deleted and rejoined, since spec.podCIDR cannot be changed."),
        references=(
            "flannel-io/flannel pkg/subnet/kube/kube.go (pod cidr not assigned)",
            "cilium/cilium Documentation/network/concepts/ipam/kubernetes.rst",
            "kubernetes/kubernetes staging/src/k8s.io/api/core/v1/types.go (NodeSpec podCIDR, podCIDRs)",
            "kubernetes/kubernetes pkg/apis/core/validation/validation.go (ValidateNodeUpdate: podCIDRs immutable)",
        ),
        examples=(
            Example(name="Flannel on a node without a podCIDR", files=(KUBEADM, FLANNEL, ("nodes.yaml", NODES.format(
                b="{}")))),
            Example(name="Flannel with every node's podCIDR in the pod range",
                    files=(KUBEADM, FLANNEL, ("nodes.yaml", NODES.format(b="{podCIDR: 10.244.2.0/24}"))), fires=False),
        ),
    ),
    check=check,
)
