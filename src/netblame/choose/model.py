"""The shape of the CNI comparison: a candidate is a row of cells, and every cell carries its source."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

T_co = TypeVar("T_co", covariant=True)


class Arch(Enum):
    """CPU architectures a small cluster's nodes have (Debian/Kubernetes names)."""

    AMD64 = "amd64"
    ARM64 = "arm64"
    ARMV7 = "armv7"


class Support(Enum):
    """How far a CNI provides a capability."""

    YES = "yes"
    PARTIAL = "partial"  # beta/alpha, needs an add-on, or only part of it
    NO = "no"


# The needs `choose --need` accepts, in the order the table shows them.
NEEDS: tuple[str, ...] = ("policy", "l7-policy", "encryption", "bgp", "kube-proxy-replacement", "observability",
                          "ipv6", "dual-stack", "multicast", "windows")


@dataclass(frozen=True, slots=True)
class Cell(Generic[T_co]):
    """One fact about a CNI and where it was read (a doc URL or ``owner/repo: path (URL)``)."""

    value: T_co
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One CNI a small cluster would consider.

    ``modules`` are kernel modules the default datapath needs; an entry ``a|b`` is satisfied by either.
    ``min_node_ram_mib`` is what the distribution its install steps use asks of every node.
    ``distribution`` names the Kubernetes distribution the CNI comes with, when it is tied to one;
    ``single_node_ram_mib`` what a one-node cluster asks when that differs.
    ``plan_cni`` the ``netblame plan --cni`` value that plans it, when that is not ``key``.
    """

    key: str
    name: str
    archs: Cell[frozenset[Arch]]
    min_kernel: Cell[tuple[int, int] | None]
    features: tuple[tuple[str, Cell[Support]], ...]
    memory_mib: Cell[int | None]
    min_node_ram_mib: Cell[int]
    network: Cell[tuple[str, ...]]
    modules: Cell[tuple[str, ...]]
    encryption_modules: Cell[tuple[str, ...]]
    install: Cell[tuple[str, ...]]
    distribution: str | None = None
    single_node_ram_mib: Cell[int] | None = None  # when one machine must also run the control plane
    plan_cni: str | None = None  # the ``netblame plan --cni`` value, when it is not ``key``

    def feature(self, need: str) -> Cell[Support]:
        """The cell for one need (every candidate lists every need)."""
        for name, cell in self.features:
            if name == need:
                return cell
        raise KeyError(need)

    def cells(self) -> tuple[tuple[str, Cell[object]], ...]:
        """Every cell with its column name, for rendering and for the every-cell-has-a-source test."""
        base: tuple[tuple[str, Cell[object]], ...] = (
            ("architectures", self.archs),
            ("minimum kernel", self.min_kernel),
            ("CNI memory", self.memory_mib),
            ("node RAM asked", self.min_node_ram_mib),
            ("network", self.network),
            ("kernel modules", self.modules),
            ("encryption modules", self.encryption_modules),
            ("install", self.install),
        )
        return base + tuple((need, cell) for need, cell in self.features)
