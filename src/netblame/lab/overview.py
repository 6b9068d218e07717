"""``lab status``: what a lab holds, what is broken on purpose, and what the kernel says is reachable."""

from __future__ import annotations

from typing import Literal

import msgspec

from netblame.lab import _run
from netblame.lab.layout import prefix
from netblame.lab.state import FaultState, LabState, PodState, load


class NodeStatus(msgspec.Struct, kw_only=True):
    name: str
    namespace: str
    present: bool
    uplink_ip: str
    pod_cidr: str | None
    pods: int
    note: str = ""


class Probe(msgspec.Struct, kw_only=True):
    """One ping from a pod on ``src`` to a pod on ``dst``."""

    src: str
    dst: str
    src_pod: str
    dst_ip: str
    ok: bool
    shared: bool = False  # the address is held by more than one pod: an answer may come from the wrong one


class LabStatus(msgspec.Struct, kw_only=True):
    schema: str = "netblame/lab-status/v1"
    name: str
    style: str
    cni: str
    pod_cidr: str
    node_mask: int
    complete: bool
    nodes: list[NodeStatus]
    pods: list[PodState]
    faults: list[FaultState]
    reachability: list[Probe] | None = None
    summary: Literal["ok", "degraded", "unknown"] = "unknown"


def ping(namespace: str, ip: str, *, size: int | None = None, dont_fragment: bool = False) -> bool:
    """One ICMP echo from inside ``namespace``; True when answered within a second."""
    argv = ["ping", "-n", "-q", "-c1", "-W1"]
    if size is not None:
        argv += ["-s", str(size)]
    if dont_fragment:
        argv += ["-M", "do"]
    return _run.run(_run.in_netns(namespace, [*argv, ip]), check=False).returncode == 0


def probes(state: LabState) -> list[Probe]:
    """Ping from the first pod of every node to the first pod of every other node, in parallel."""
    first: dict[str, PodState] = {}
    for pod in state.pods:
        if pod.ip is not None:
            first.setdefault(pod.node, pod)
    pairs = [(a, b) for a in first.values() for b in first.values() if a.node != b.node]
    shared = _shared_addresses(state)

    def probe(pair: tuple[PodState, PodState]) -> Probe:
        a, b = pair
        assert b.ip is not None
        return Probe(src=a.node, dst=b.node, src_pod=a.name, dst_ip=b.ip, ok=ping(a.namespace, b.ip),
                     shared=b.ip in shared)

    return _run.parallel(probe, pairs, workers=16)


def _shared_addresses(state: LabState) -> dict[str, list[PodState]]:
    """Pod addresses held by more than one pod (the overlapping-pod-ranges fault makes them)."""
    holders: dict[str, list[PodState]] = {}
    for pod in state.pods:
        if pod.ip is not None:
            holders.setdefault(pod.ip, []).append(pod)
    return {ip: pods for ip, pods in holders.items() if len(pods) > 1}


def status(name: str, *, ping: bool = True) -> LabStatus:
    """The status of lab ``name`` (``ping``: also probe reachability)."""
    state = load(name)
    present = set(_run.namespaces_with_prefix(prefix(name)))
    nodes = []
    shared = _shared_addresses(state)
    for node in state.nodes:
        count = len([p for p in state.pods_of(node.name) if p.ip])
        note = "" if node.pod_cidr else ("no pod range: no node routes to its pods" if count
                                         else "no pod range: no pods, no routes to it")
        twins = sorted({o.node for p in state.pods_of(node.name) for o in shared.get(str(p.ip), [])} - {node.name})
        if twins:
            note = f"pod addresses also held on {', '.join(twins)}"
        if node.namespace not in present:
            note = "namespace missing"
        nodes.append(NodeStatus(name=node.name, namespace=node.namespace, present=node.namespace in present,
                                uplink_ip=node.uplink_ip, pod_cidr=node.pod_cidr, pods=count, note=note))
    result = LabStatus(name=state.name, style=state.style, cni=state.cni, pod_cidr=state.pod_cidr,
                       node_mask=state.node_mask, complete=state.complete, nodes=nodes, pods=state.pods,
                       faults=state.faults)
    if ping:
        result.reachability = probes(state)
        healthy = all(p.ok and not p.shared for p in result.reachability)
        result.summary = "ok" if healthy else "degraded"
    return result
