"""Wording shared by the NB1xx rules: lists of names, plurals, where a value came from, and what a
fix says when no range fits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import PurePath

from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.model.origin import Origin
from netblame.plan.cluster import CNI_LABEL, ipam_mode

MAX_NAMES = 5

# What each CNI logs on a node without spec.podCIDR (FACTS.md B.3, D).
NO_PODCIDR_LOG = {
    "flannel": 'Error registering network: failed to acquire lease: node "{node}" pod cidr not assigned',
    "cilium": "required IPv{family} PodCIDR not available",
}


def all_cidrs(cluster: ClusterNetwork) -> Iterator[tuple[str, Cidr]]:
    """Every CIDR the cluster model holds, with a label saying what it is."""
    for cidr in cluster.pod_cidrs:
        yield "pod range", cidr
    for cidr in cluster.service_cidrs:
        yield "service range", cidr
    for cni in cluster.cnis:
        for cidr in cni.pools:
            yield f"{cni.name} pool", cidr
    for node in cluster.nodes:
        for cidr in node.pod_cidrs:
            yield f"podCIDR of node {node.name}", cidr
    for cidr in cluster.lan:
        yield "--lan range", cidr


def describe_ipam(cni: CniConfig) -> str:
    """``Cilium (ipam cluster-pool)``."""
    return f"{CNI_LABEL[cni.name]} (ipam {ipam_mode(cni)})"


def plural(count: int, word: str) -> str:
    """``1 node``, ``3 nodes``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def names(items: Sequence[str]) -> str:
    """A short list of names: ``pi-2, pi-3, pi-4`` or ``n1, ..., n5 and 12 more``."""
    shown = ", ".join(items[:MAX_NAMES])
    return shown if len(items) <= MAX_NAMES else f"{shown} and {len(items) - MAX_NAMES} more"


NO_ROOM = "no free private range is left for a suggestion (the LAN, the nodes and the other ranges take them): "


def no_room(advice: str) -> str:
    """A fix without a value, because none fits: says so, then what to do."""
    return NO_ROOM + advice


def source_of(origin: Origin) -> str:
    """A short note on where a value came from: ``kubeadm.yaml:7``, ``flag --nodes``,
    ``kube-controller-manager --node-cidr-mask-size-ipv4 default``."""
    if origin.file is not None:
        name = PurePath(origin.file).name
        place = f"{name}:{origin.line}" if origin.line is not None else name
        return f"{origin.default} default, unset in {place}" if origin.default else place
    if origin.default is not None:
        return f"{origin.default} default"
    return str(origin)
