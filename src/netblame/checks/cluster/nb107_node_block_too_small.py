"""NB107: node blocks too small for max pods per node plus the addresses the CNI keeps for itself."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import plural, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import block_addresses, node_blocks
from netblame.model.cidr import Family
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.address import (
    blocks_per_node,
    mask_fix,
    mask_for,
    node_block_user,
    plan_addresses,
    planned_pod_fix,
    reserved,
    usable,
)
from netblame.plan.cluster import FAMILIES, node_count, pools, uses_own_pool


def _kept(family: Family, cni: str | None) -> str:
    addresses = reserved(family, cni)
    who = "Cilium" if cni == "cilium" else "host-local"
    return f"the {len(addresses)} addresses {who} keeps ({', '.join(addresses)})"


def _fix(change: str | None, room: int, joiner: str) -> str:
    """The setting that makes a node's block hold maxPods, or fewer pods per node: each only where it
    exists (no block holds an absurd maxPods, and a block with no room for pods leaves no lower maxPods)."""
    lower = f"lower kubelet `maxPods: {room}`" if room > 0 else None
    return joiner.join(x for x in (change, lower) if x) or "lower kubelet maxPods to what a node's block can hold"


def _node_mask(cluster: ClusterNetwork, family: Family, max_pods: int, cni: str | None) -> Iterator[Diagnostic]:
    pod = cluster.pod_cidr(family)
    if pod is None:
        return
    mask = cluster.node_mask(family)
    room = usable(family, mask.value, cni)
    if room >= max_pods:
        return
    better = mask_for(max_pods, family, cni)
    change = None if better is None else mask_fix(family, better)
    if change is not None and plan_addresses(cluster).pods.get(family, pod.network) != pod.network:
        change = planned_pod_fix(cluster, family, change)  # the pod range must grow with the blocks
    yield Diagnostic(
        message=(f"node mask /{mask.value} ({source_of(mask.origin)}) gives each node "
                 f"{block_addresses(family, mask.value)} addresses, {room} for pods after {_kept(family, cni)}, but "
                 f"kubelet admits {max_pods} pods per node ({source_of(cluster.pods_per_node().origin)}): pods beyond "
                 f"{room} fail with \"no IP addresses available in range set\""),
        fix=_fix(change, room, "; or "),
        location=mask.origin,
    )


def _cilium(cni: CniConfig, family: Family, max_pods: int) -> Iterator[Diagnostic]:
    mask = cni.block(family)
    if mask is None or not pools(cni, family):
        return
    room = usable(family, mask.value, "cilium")
    if room >= max_pods:
        return
    better = mask_for(max_pods, family, "cilium")
    change = None if better is None else (f"Cilium values `ipam.operator.clusterPoolIPv{family}MaskSize: {better}` "
                                          f"(cilium-config `cluster-pool-ipv{family}-mask-size: \"{better}\"`)")
    yield Diagnostic(
        message=(f"Cilium clusterPoolIPv{family}MaskSize {mask.value} ({source_of(mask.origin)}) gives each node "
                 f"{block_addresses(family, mask.value)} addresses, {room} for pods after {_kept(family, 'cilium')}, "
                 f"fewer than the {max_pods} pods kubelet admits per node"),
        fix=_fix(change, room, ", or "),
        location=mask.origin,
    )


def _calico(cluster: ClusterNetwork, cni: CniConfig, family: Family, max_pods: int) -> Iterator[Diagnostic]:
    block = cni.block(family)
    own = pools(cni, family)
    count = node_count(cluster)
    if block is None or not own or count is None:
        return
    size = block_addresses(family, block.value)
    per_node = blocks_per_node(max_pods, family, block.value)
    blocks = sum(node_blocks(p.network, block.value) for p in own)
    need = per_node * count.count
    if blocks >= need:
        return
    prefix = block.value - (need - 1).bit_length()
    fits = blocks * size // count.count
    # A pool shorter than /0 does not exist, and maxPods 0 admits no pod: neither is a fix.
    fixes = ([f"give the Calico IPPool a larger `spec.cidr` (a /{prefix} or larger)"] if prefix >= 0 else []) + (
        [f"lower kubelet `maxPods: {fits}`"] if fits > 0 else [])
    yield Diagnostic(
        message=(f"Calico pool {', '.join(p.text for p in own)} holds {plural(blocks, 'block')} of blockSize "
                 f"{block.value} ({source_of(block.origin)}), but {plural(count.count, 'node')} ({count.source}) with "
                 f"{max_pods} pods each need {per_node} blocks per node, {need} in all, even if every address of "
                 "every block were usable"),
        fix=", or ".join(fixes) or f"no pool of blockSize {block.value} holds that many blocks: add IPPools for "
                                   "the nodes to share, or plan fewer nodes",
        location=own[0].origin,
    )


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Compare what each node's block holds with kubelet's maxPods, in each allocator's own terms."""
    max_pods = cluster.pods_per_node().value
    for family in FAMILIES:
        applies, cni_name = node_block_user(cluster)
        if applies:
            yield from _node_mask(cluster, family, max_pods, cni_name)
        for cni in cluster.cnis:
            if cni.name == "cilium" and uses_own_pool(cni):
                yield from _cilium(cni, family, max_pods)
            elif cni.name == "calico" and uses_own_pool(cni):
                yield from _calico(cluster, cni, family, max_pods)


KUBEADM = ("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
                           "  podSubnet: 10.244.0.0/16\ncontrollerManager:\n  extraArgs:\n"
                           "    - name: node-cidr-mask-size-ipv4\n      value: \"{mask}\"\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB107",
        name="node-block-too-small",
        title="Node block too small for max pods",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("Each node's pod block (node mask, Cilium clusterPoolIPv4MaskSize, or Calico blocks in the pool) "
                 "holds fewer addresses than kubelet's maxPods plus the addresses the CNI keeps for itself."),
        rationale=(
            "kubelet admits up to maxPods pods per node (default 110), but a node can only give out the addresses of "
            "its block. host-local IPAM, which Flannel's bridge uses, keeps the network address, the gateway and the "
            "IPv4 broadcast address: a /25 leaves 125 addresses, a /26 only 61. Cilium also keeps the cilium_host "
            "router address and the cilium-health endpoint (derived from its documentation, not measured). When the "
            "block is full the scheduler still places pods there, and they stay in ContainerCreating with \"failed "
            "to allocate for range 0: no IP addresses available in range set\". Calico nodes borrow further blocks "
            "of blockSize from the pool, so there the pool as a whole must hold maxPods for every node."
        ),
        fix="Use a shorter node mask (or Cilium mask size, or a larger Calico pool), or lower kubelet maxPods.",
        references=(
            "kubernetes/kubernetes pkg/kubelet/apis/config/v1beta1/defaults.go (maxPods 110)",
            "containernetworking/plugins host-local, measured (Debian 12 containernetworking-plugins 1.1.1): a /29 "
            "gives 5 pods, a /26 61, an IPv6 /125 6; the network address, the gateway and the IPv4 broadcast "
            "address are never handed out",
            "cilium/cilium Documentation/network/concepts/ipam/kubernetes.rst (cilium host and health addresses)",
            "https://docs.tigera.io/calico/latest/reference/resources/ippool (blockSize)",
        ),
        examples=(
            Example(name="a /26 node mask for 110 pods per node",
                    files=((KUBEADM[0], KUBEADM[1].format(mask=26)),)),
            Example(name="a /25 node mask for 110 pods per node",
                    files=((KUBEADM[0], KUBEADM[1].format(mask=25)),), fires=False),
        ),
    ),
    check=check,
)
