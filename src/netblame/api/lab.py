"""``netblame lab`` as library calls: build, remove, break, heal and inspect a miniature cluster network
made of network namespaces. Each call but :func:`validate` and :func:`list_labs` needs root."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from netblame.errors import LabError
from netblame.lab.layout import CNI_PLUGINS, STYLES, LabSpec

if TYPE_CHECKING:
    from netblame.lab.inventory import LabEntry
    from netblame.lab.overview import LabStatus
    from netblame.lab.state import FaultState, ServiceState

__all__ = ["CNI_PLUGINS", "STYLES", "LabSpec", "check_name", "down", "fault", "heal", "list_labs", "need_root",
           "service_add", "service_remove", "status", "up", "validate"]


def need_root() -> None:
    """Refuse, in one line, when not root: every call that touches namespaces needs it."""
    if os.geteuid() != 0:
        raise LabError("lab commands build network namespaces and need root (run with sudo)")


def validate(spec: LabSpec) -> None:
    """Check a lab's options (name, ranges, sizes) without touching the machine."""
    from netblame.lab.layout import make_layout

    make_layout(spec)


def check_name(name: str) -> None:
    """Check a lab's name without touching the machine."""
    from netblame.lab.layout import check_name as check

    check(name)


def up(spec: LabSpec, progress: Callable[[str], None] | None = None) -> None:
    """Build the lab described by ``spec``; ``progress`` gets one line per step."""
    from netblame.lab import build

    build.up(spec, progress=progress)


def down(name: str) -> list[str]:
    """Remove everything of lab ``name``; the namespaces removed (none is fine)."""
    from netblame.lab import build

    return build.down(name)


def status(name: str, *, ping: bool = True) -> LabStatus:
    """A lab's nodes, pod ranges, pods, active faults and (with ``ping``) pod-to-pod reachability."""
    from netblame.lab import overview

    return overview.status(name, ping=ping)


def fault(name: str, kind: str, *, node: str | None = None, peer: str | None = None) -> FaultState:
    """Break lab ``name`` on purpose with fault ``kind``."""
    from netblame.lab import faults

    return faults.apply(name, kind, node=node, peer=peer)


def heal(name: str, kind: str | None = None, *, node: str | None = None) -> list[FaultState]:
    """Undo fault ``kind`` (every active fault when None); the faults healed."""
    from netblame.lab import faults

    return faults.heal(name, kind, node=node)


def list_labs() -> list[LabEntry]:
    """The labs on this machine, from their state files and namespaces."""
    from netblame.lab.inventory import list_labs as listed

    return listed()


def service_add(name: str, backend: str = "iptables") -> ServiceState:
    """Add a kube-proxy-style Service to lab ``name``, written as ``backend`` (iptables or nftables) does."""
    from netblame.lab import firewall

    return firewall.service_add(name, backend)


def service_remove(name: str) -> ServiceState:
    """Remove the lab's Service."""
    from netblame.lab import firewall

    return firewall.service_remove(name)
