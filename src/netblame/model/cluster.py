"""The cluster's address plan, merged from every input: ``ClusterNetwork``.

Every value carries its :class:`~netblame.model.origin.Origin`. Sources each produce a partial
``ClusterNetwork`` (a *fragment*); :func:`netblame.model.merge.merge_cluster` folds fragments into
one, recording disagreements between inputs as :class:`Conflict` values instead of silently
picking one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netblame._record import Record, record
from netblame.model.cidr import Cidr, Family, IPAddress
from netblame.model.origin import Origin, Sourced, default

CniName = Literal["cilium", "calico", "flannel"]
# What sets the cluster up, so that a fix names the setting in its terms (kubeadm when unknown).
Distribution = Literal["kubeadm", "k3s", "rke2", "k0s", "talos", "kind", "minikube", "k8s-snap", "k8s-charm",
                       "microk8s"]

# kube-controller-manager node mask defaults (FACTS.md A.3: defaultNodeMaskCIDRIPv4/IPv6 in
# cmd/kube-controller-manager/app/core.go).
DEFAULT_NODE_MASK: dict[Family, int] = {4: 24, 6: 64}
# kubelet maxPods default (FACTS.md A.8).
DEFAULT_MAX_PODS = 110


@record
class CniConfig(Record):
    """What one CNI's own configuration says about pod addressing.

    ``pools`` are the CNI's own IPAM ranges (Cilium cluster-pool lists, Calico IPPool CIDRs,
    Flannel ``Network``/``IPv6Network``); ``block_v4``/``block_v6`` the per-node mask or block size in
    that CNI's terms (Cilium ``clusterPoolIPv4MaskSize``, Calico ``blockSize``, Flannel ``SubnetLen``).
    A value the file leaves unset is filled with the CNI's documented default by the source, with a
    ``default`` origin naming it. ``pools_follow_pod_range`` marks default pools the CNI replaces with
    the cluster's IPv4 pod range when it can read one (calico-node takes kubeadm's ``podSubnet``); the
    merge makes that substitution when the inputs give a pod range.
    """

    name: CniName
    origin: Origin
    ipam_mode: Sourced[str] | None = None
    pools: tuple[Cidr, ...] = ()
    block_v4: Sourced[int] | None = None
    block_v6: Sourced[int] | None = None
    routing: Sourced[str] | None = None
    mtu: Sourced[int] | None = None
    pools_follow_pod_range: bool = False

    def block(self, family: Family) -> Sourced[int] | None:
        """The per-node mask or block size for ``family``, if the configuration or a default gives one."""
        return self.block_v4 if family == 4 else self.block_v6


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # made in bulk: see netblame._record
class NodeInfo(Record):
    """A node as the API server knows it (``kubectl get nodes``)."""

    name: str
    origin: Origin
    addresses: tuple[Sourced[IPAddress], ...] = ()
    pod_cidrs: tuple[Cidr, ...] = ()


@record
class Conflict(Record):
    """Two or more inputs that set the same setting to different values."""

    setting: str
    values: tuple[Sourced[str], ...]


@record
class ClusterNetwork(Record):
    """The cluster's address plan: pod and service ranges, node masks, CNI pools, nodes."""

    pod_cidrs: tuple[Cidr, ...] = ()
    service_cidrs: tuple[Cidr, ...] = ()
    node_mask_v4: Sourced[int] | None = None
    node_mask_v6: Sourced[int] | None = None
    allocate_node_cidrs: Sourced[bool] | None = None
    max_pods: Sourced[int] | None = None
    cluster_dns: tuple[Sourced[IPAddress], ...] = ()
    dns_domain: Sourced[str] | None = None
    cnis: tuple[CniConfig, ...] = ()
    nodes: tuple[NodeInfo, ...] = ()
    planned_nodes: Sourced[int] | None = None
    lan: tuple[Cidr, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    distribution: Sourced[Distribution] | None = None

    def node_mask(self, family: Family) -> Sourced[int]:
        """The per-node mask for ``family``: as configured, or kube-controller-manager's default."""
        explicit = self.node_mask_v4 if family == 4 else self.node_mask_v6
        if explicit is not None:
            return explicit
        flag_name = "--node-cidr-mask-size-ipv4" if family == 4 else "--node-cidr-mask-size-ipv6"
        return Sourced(DEFAULT_NODE_MASK[family], default(f"kube-controller-manager {flag_name}"))

    def pods_per_node(self) -> Sourced[int]:
        """kubelet's maxPods: as configured, or its default of 110."""
        if self.max_pods is not None:
            return self.max_pods
        return Sourced(DEFAULT_MAX_PODS, default("kubelet maxPods"))

    def pod_cidr(self, family: Family) -> Cidr | None:
        """The cluster pod range of ``family``, if any."""
        return next((c for c in self.pod_cidrs if c.family == family), None)

    def service_cidr(self, family: Family) -> Cidr | None:
        """The service range of ``family``, if any."""
        return next((c for c in self.service_cidrs if c.family == family), None)

    @property
    def is_empty(self) -> bool:
        """True when no input said anything about the cluster."""
        return self == ClusterNetwork()


def as_cluster(cni: CniConfig) -> ClusterNetwork:
    """A cluster fragment holding one CNI configuration (what CNI sources return)."""
    return ClusterNetwork(cnis=(cni,))
