"""Helpers shared by the NB1xx rules."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork


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
