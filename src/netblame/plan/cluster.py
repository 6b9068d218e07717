"""What the cluster model says each CNI takes its pod addresses from, node counts, and fixes written
as the exact flag or config line for a range: shared by the planner and the NB1xx rules."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from pathlib import PurePath

from netblame._record import Record, record
from netblame.ipmath import IPNetwork, bits, contains
from netblame.model.cidr import Cidr, Family
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.settings import CNI_FOLLOWS_POD_RANGE, distribution, pod_setting, service_setting

FAMILIES: tuple[Family, ...] = (4, 6)

# Default IPAM modes: Cilium Helm ipam.mode defaults to cluster-pool (FACTS.md B.1); Calico's
# manifests use calico-ipam, which allocates from IPPools (FACTS.md C); Flannel with
# --kube-subnet-mgr takes each node's spec.podCIDR (FACTS.md D).
DEFAULT_IPAM = {"cilium": "cluster-pool", "calico": "calico-ipam", "flannel": "kube-subnet-mgr"}
CNI_LABEL = {"cilium": "Cilium", "calico": "Calico", "flannel": "Flannel"}

def ipam_mode(cni: CniConfig) -> str:
    """The CNI's IPAM mode as configured, or its default."""
    if cni.ipam_mode is not None and cni.ipam_mode.value:
        return cni.ipam_mode.value.strip().lower()
    return DEFAULT_IPAM[cni.name]


def uses_own_pool(cni: CniConfig) -> bool:
    """True when the CNI gives pods addresses from its own pool (Cilium cluster-pool, Calico IPAM)."""
    mode = ipam_mode(cni)
    if cni.name == "cilium":
        return mode.startswith("cluster-pool")
    return cni.name == "calico" and mode == "calico-ipam"


def uses_node_podcidrs(cni: CniConfig) -> bool:
    """True when the CNI takes each node's ``spec.podCIDR(s)``: Flannel, Cilium ``ipam: kubernetes``,
    Calico with host-local IPAM."""
    mode = ipam_mode(cni)
    return (cni.name == "flannel" or (cni.name == "cilium" and mode == "kubernetes")
            or (cni.name == "calico" and mode == "host-local"))


def own_pools(cluster: ClusterNetwork) -> Iterator[tuple[CniConfig, Cidr]]:
    """The pools of CNIs that give pods addresses from their own pool, except a pool equal to a pod range
    (a range is reported once, as the pod range)."""
    pod_ranges = {c.network for c in cluster.pod_cidrs}
    for cni in cluster.cnis:
        if uses_own_pool(cni):
            for family in FAMILIES:
                for cidr in pools(cni, family):
                    if cidr.network not in pod_ranges:
                        yield cni, cidr


def cni_pools(cluster: ClusterNetwork) -> Iterator[tuple[CniConfig, Cidr]]:
    """Every pool any CNI input describes, whatever its IPAM mode (Flannel's Network too, which it routes and
    masquerades as pod traffic even when pods take node podCIDRs), except a pool equal to a pod range; the
    range of a CNI that takes node podCIDRs counts only where no pod range of its family is known (otherwise
    the pod range is what is checked, and a range that differs from it is NB105's)."""
    pod_ranges = {c.network for c in cluster.pod_cidrs}
    for cni in cluster.cnis:
        for family in FAMILIES:
            if uses_node_podcidrs(cni) and cluster.pod_cidr(family) is not None:
                continue
            for cidr in pools(cni, family):
                if cidr.network not in pod_ranges:
                    yield cni, cidr


def pools(cni: CniConfig, family: Family) -> tuple[Cidr, ...]:
    """The CNI's own pools of ``family``."""
    return tuple(c for c in cni.pools if c.family == family)


def cni_block(cni: CniConfig, family: Family) -> int | None:
    """The CNI's per-node mask or block size for ``family`` (None when the source does not give one)."""
    block = cni.block(family)
    return block.value if block is not None else None


@record
class NodeCount(Record):
    """How many nodes the cluster has or plans, and where that number comes from."""

    count: int
    source: str


def node_count(cluster: ClusterNetwork) -> NodeCount | None:
    """The larger of the nodes in the dumps and ``--nodes``, or None when neither is known."""
    known = len(cluster.nodes)
    planned = cluster.planned_nodes.value if cluster.planned_nodes is not None else 0
    if planned >= known and planned:
        return NodeCount(planned, "--nodes")
    if known:
        file = cluster.nodes[0].origin.file
        return NodeCount(known, PurePath(file).name if file else "the nodes list")
    return None


def host_net(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> IPNetwork:
    """A single address as a /32 or /128 network."""
    return ipaddress.ip_network((int(address), bits(address.version)))


def node_address_nets(cluster: ClusterNetwork, family: Family) -> list[IPNetwork]:
    """Every node address of ``family`` as a host network."""
    return [host_net(a.value) for n in cluster.nodes for a in n.addresses if a.value.version == family]


def _ranges(current: Sequence[Cidr], changes: dict[Family, IPNetwork]) -> list[str]:
    by_family: dict[int, str] = {c.family: str(c.network) for c in current}
    by_family.update({f: str(n) for f, n in changes.items()})
    return [by_family[f] for f in sorted(by_family)]


def cni_pool_lines(cni: CniConfig, changes: dict[Family, IPNetwork]) -> list[str]:
    """The line(s) in the CNI's own configuration that set its pool to the changed ranges."""
    lines: list[str] = []
    for family, net in sorted(changes.items()):
        v = f"IPv{family}"
        if cni.name == "cilium" and uses_own_pool(cni):
            lines.append(f'Cilium values `ipam.operator.clusterPool{v}PodCIDRList: ["{net}"]` '
                         f"(cilium-config `cluster-pool-ipv{family}-cidr: {net}`)")
        elif cni.name == "calico" and uses_own_pool(cni):
            env = "CALICO_IPV4POOL_CIDR" if family == 4 else "CALICO_IPV6POOL_CIDR"
            lines.append(f"Calico IPPool `spec.cidr: {net}` (calico-node env `{env}: \"{net}\"`, "
                         f"operator Installation `spec.calicoNetwork.ipPools[].cidr: {net}`)")
        elif cni.name == "flannel" and not any(contains(c.network, net) for c in pools(cni, family)):
            key = "Network" if family == 4 else "IPv6Network"
            lines.append(f'Flannel net-conf.json `"{key}": "{net}"`')
    return lines


def pod_range_fix(cluster: ClusterNetwork, ranges: dict[Family, IPNetwork]) -> str:
    """The exact settings that set the pod range to ``ranges``: kubeadm flag, config key,
    controller-manager flag, and the matching line of every CNI whose own configuration carries it."""
    joined = ",".join(_ranges(cluster.pod_cidrs, ranges))
    current = {c.family: c.network for c in cluster.pod_cidrs}
    changes = {f: n for f, n in ranges.items() if current.get(f) != n}
    text = pod_setting(cluster, joined)
    made_by = distribution(cluster)
    own = {"flannel", "calico"} if made_by == "rke2" else {"flannel"}
    extra = [line for cni in cluster.cnis for line in cni_pool_lines(cni, changes)
             if not (made_by in CNI_FOLLOWS_POD_RANGE and cni.name in own)]
    return "; ".join([text, *extra])


def service_range_fix(cluster: ClusterNetwork, changes: dict[Family, IPNetwork]) -> str:
    """The exact settings that move the service range."""
    joined = ",".join(_ranges(cluster.service_cidrs, changes))
    return service_setting(cluster, joined)


def cni_pool_fix(cni: CniConfig, changes: dict[Family, IPNetwork]) -> str:
    """The exact line that sets a CNI's own pool."""
    lines = cni_pool_lines(cni, changes)
    ranges = ", ".join(str(n) for n in changes.values())
    return "; ".join(lines) if lines else f"set the {CNI_LABEL[cni.name]} pool to {ranges}"
