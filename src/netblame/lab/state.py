"""The lab's state file, ``/run/netblame/labs/<lab>.json`` (format ``netblame/lab/v1``, docs/lab.md).

The collector reads it to tell nodes, pods and the LAN apart; ``lab fault``/``heal``/``status`` read
and rewrite it. Written atomically (temporary file, then rename), so a reader never sees half a file.
Per-lab working files (host-local IPAM data, BIRD configs, sockets, pid files) live in
``/run/netblame/labs/<lab>/``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import msgspec

from netblame.errors import LabError

LAB_SCHEMA = "netblame/lab/v1"
STATE_DIR = Path("/run/netblame/labs")


class NodeState(msgspec.Struct, kw_only=True):
    """A node namespace. ``pod_cidr`` is None when the node has no pod range."""

    name: str
    namespace: str
    pod_cidr: str | None
    uplink_dev: str
    uplink_ip: str
    vtep_mac: str | None = None


class PodState(msgspec.Struct, kw_only=True):
    """A pod namespace and the address the CNI plugin gave its ``eth0`` (None when ADD failed)."""

    name: str
    namespace: str
    node: str
    ip: str | None
    prefixlen: int | None = None
    interface: str = "eth0"


class FaultState(msgspec.Struct, kw_only=True):
    """An active fault: where it is, what it did, and what ``heal`` needs to undo it exactly."""

    name: str
    node: str
    peer: str | None = None
    detail: str = ""
    undo: dict[str, Any] = {}


class ServiceState(msgspec.Struct, kw_only=True):
    """The lab's kube-proxy-style Service (``netblame lab service add``): ClusterIP, ports and endpoints."""

    cluster_ip: str
    port: int
    target_port: int
    node_port: int
    endpoints: list[str] = []
    backend: str = "iptables"
    outside_namespace: str | None = None
    outside_ip: str | None = None


class LabState(msgspec.Struct, kw_only=True):
    """A whole lab."""

    schema: str = LAB_SCHEMA
    name: str
    style: str
    cni: str
    pod_cidr: str
    node_mask: int
    lan_cidr: str
    lan_namespace: str
    pods_per_node: int
    pod_mtu: int
    router_namespace: str | None = None
    route_reflector: bool = False
    complete: bool = False
    nodes: list[NodeState] = []
    pods: list[PodState] = []
    faults: list[FaultState] = []
    service: ServiceState | None = None

    def node(self, name: str) -> NodeState:
        for node in self.nodes:
            if node.name == name:
                return node
        known = ", ".join(n.name for n in self.nodes)
        raise LabError(f"lab {self.name} has no node {name!r} (nodes: {known})")

    def pods_of(self, node: str) -> list[PodState]:
        return [p for p in self.pods if p.node == node]


def state_path(lab: str) -> Path:
    return STATE_DIR / f"{lab}.json"


def work_dir(lab: str) -> Path:
    """The lab's directory for IPAM data, BIRD files and the like."""
    return STATE_DIR / lab


def save(state: LabState) -> None:
    """Write the state file atomically."""
    path = state_path(state.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(msgspec.json.format(msgspec.json.encode(state), indent=2) + b"\n")
    os.replace(tmp, path)


def load(lab: str) -> LabState:
    """The state of lab ``lab``, or :class:`LabError` when there is no such lab."""
    path = state_path(lab)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LabError(f"no lab named {lab!r} (no {path}); build it with: netblame lab up {lab}") from None
    try:
        return msgspec.json.decode(data, type=LabState)
    except msgspec.DecodeError as exc:  # also a ValidationError; a truncated file is only a DecodeError
        raise LabError(f"{path}: not a netblame lab state file: {exc}") from None


def exists(lab: str) -> bool:
    return state_path(lab).exists()
