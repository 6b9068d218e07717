"""Every value of the cluster model with where it came from: read from an input, given as a flag, or a
tool's default. This is the ``values`` list of the report (docs/report-schema.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeVar

from netblame._record import Record, record
from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.model.origin import Origin, Sourced

Provenance = Literal["read", "flag", "default"]
T = TypeVar("T")
_CNI_LABEL = {"cilium": "Cilium", "calico": "Calico", "flannel": "Flannel"}


@record
class ValueRecord(Record):
    """One setting's value and its origin."""

    setting: str
    value: str
    origin: Origin

    @property
    def source(self) -> Provenance:
        """``default`` when no input set it (a tool's default applies), ``flag`` when given on netblame's command
        line, ``read`` when an input file says it."""
        if self.origin.default is not None:
            return "default"
        return "flag" if self.origin.flag is not None and self.origin.file is None else "read"

    def to_json(self) -> dict[str, object]:
        """One entry of the report's ``values`` list."""
        return {"setting": self.setting, "value": self.value, "source": self.source,
                "location": self.origin.to_json()}


def _ranges(setting: str, cidrs: tuple[Cidr, ...]) -> Iterator[ValueRecord]:
    for cidr in cidrs:
        yield ValueRecord(f"{setting} (IPv{cidr.family})", cidr.text, cidr.origin)


def _scalar(setting: str, value: Sourced[T] | None) -> Iterator[ValueRecord]:
    if value is not None:
        shown: object = value.value
        text = ("true" if shown else "false") if isinstance(shown, bool) else str(shown)
        yield ValueRecord(setting, text, value.origin)


def _cni(cni: CniConfig) -> Iterator[ValueRecord]:
    label = _CNI_LABEL[cni.name]
    yield from _scalar(f"{label} IPAM mode", cni.ipam_mode)
    yield from _ranges(f"{label} pool", cni.pools)
    yield from _scalar(f"{label} per-node block (IPv4)", cni.block_v4)
    yield from _scalar(f"{label} per-node block (IPv6)", cni.block_v6)
    yield from _scalar(f"{label} routing", cni.routing)
    yield from _scalar(f"{label} MTU", cni.mtu)


def cluster_values(cluster: ClusterNetwork) -> tuple[ValueRecord, ...]:
    """The values every cluster rule works on, including the defaults they fall back to."""
    out: list[ValueRecord] = []
    out.extend(_scalar("distribution", cluster.distribution))
    out.extend(_ranges("pod range", cluster.pod_cidrs))
    out.extend(_ranges("service range", cluster.service_cidrs))
    for family in sorted({c.family for c in cluster.pod_cidrs}):
        out.extend(_scalar(f"node mask (IPv{family})", cluster.node_mask(family)))
    out.extend(_scalar("allocate node CIDRs", cluster.allocate_node_cidrs))
    if cluster.pod_cidrs or cluster.nodes or cluster.max_pods is not None:
        out.extend(_scalar("max pods per node", cluster.pods_per_node()))
    out.extend(ValueRecord("cluster DNS", str(a.value), a.origin) for a in cluster.cluster_dns)
    out.extend(_scalar("cluster domain", cluster.dns_domain))
    out.extend(_scalar("planned nodes", cluster.planned_nodes))
    for cni in cluster.cnis:
        out.extend(_cni(cni))
    return tuple(out)
