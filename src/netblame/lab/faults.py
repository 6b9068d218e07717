"""Named, reversible faults. Each records in the state what ``heal`` needs to restore the lab exactly.

``--node`` is where the damage is; ``--peer`` the other node involved (default: the first other node
with a pod range). docs/lab.md says what each fault breaks and how a test proves it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from netblame.errors import LabError
from netblame.lab import _run, bird, styles
from netblame.lab.build import add_router, attach_pods, detach_pods, remove_router
from netblame.lab.layout import UPLINK_DEV, VXLAN_OVERHEAD, lan_spare_ip, transfer_link
from netblame.lab.state import FaultState, LabState, NodeState, load, save

FAULT_MTU = 1400  # below 1450 (pod MTU) + 50 (VXLAN overhead)
ROUTER_LINK = "rtr0"


@dataclass(frozen=True, slots=True)
class FaultKind:
    apply: Callable[[LabState, FaultState], str]  # breaks the lab, fills fault.undo, returns the detail line
    heal: Callable[[LabState, FaultState], None]
    needs_peer: bool = True
    styles: tuple[str, ...] = ("vxlan", "routed", "host-routes")


def _others(state: LabState, node: NodeState) -> list[NodeState]:
    return [n for n in state.nodes if n.name != node.name]


def _restore_route(state: LabState, node: NodeState, peer: NodeState) -> None:
    """Put back the style's route from ``node`` to ``peer`` (routed: BIRD's routes never left)."""
    if state.style != "routed":
        styles.connect(state, node, [peer])


def _sync(state: LabState) -> None:
    if state.style == "routed":
        bird.sync(state)


# no-pod-range ----------------------------------------------------------------------------------------------

def _no_range(state: LabState, fault: FaultState) -> str:
    node = state.node(fault.node)
    fault.undo = {"pod_cidr": node.pod_cidr}
    _run.parallel(lambda other: styles.disconnect(state, other, [node]), _others(state, node))
    node.pod_cidr = None
    _sync(state)
    what = "routes, FDB and neighbour entries" if state.style == "vxlan" else "routes"
    return (f"{node.name} has no pod range any more (was {fault.undo['pod_cidr']}); "
            f"the other nodes dropped their {what} to it")


def _heal_no_range(state: LabState, fault: FaultState) -> None:
    node = state.node(fault.node)
    node.pod_cidr = fault.undo["pod_cidr"]
    _run.parallel(lambda other: styles.connect(state, other, [node]), _others(state, node))
    _sync(state)


# overlapping-pod-ranges -------------------------------------------------------------------------------------

def _overlap(state: LabState, fault: FaultState) -> str:
    node, peer = state.node(fault.node), state.node(str(fault.peer))
    fault.undo = {"pod_cidr": node.pod_cidr}
    _run.parallel(lambda other: styles.disconnect(state, other, [node]), _others(state, node))
    styles.disconnect(state, node, [peer])
    detach_pods(state, node)
    node.pod_cidr = peer.pod_cidr
    attach_pods(state, node, force_address=True)
    _sync(state)
    return (f"{node.name} was given {peer.name}'s pod range {peer.pod_cidr} (its own was {fault.undo['pod_cidr']}); "
            f"its pods were re-attached and now hold {peer.name}'s pod addresses")


def _heal_overlap(state: LabState, fault: FaultState) -> None:
    node = state.node(fault.node)
    detach_pods(state, node)
    node.pod_cidr = fault.undo["pod_cidr"]
    attach_pods(state, node, force_address=True)
    styles.connect(state, node, state.nodes)
    _run.parallel(lambda other: styles.connect(state, other, [node]), _others(state, node))
    _sync(state)


# missing-route / blackhole-route ----------------------------------------------------------------------------

def _missing_route(state: LabState, fault: FaultState) -> str:
    node, peer = state.node(fault.node), state.node(str(fault.peer))
    fault.undo = {"prefix": peer.pod_cidr}
    if state.style == "routed":
        bird.sync(state)  # the fault is in the state: BIRD on the node keeps the learnt route out of the kernel
        how = "BIRD keeps the learnt route out of the kernel table"
    else:
        _run.ip_batch(node.namespace, [styles.route_line(state.style, peer, "del")])
        how = "route deleted"
    return f"{node.name} has no route to {peer.name}'s pod range {peer.pod_cidr} ({how})"


def _heal_missing_route(state: LabState, fault: FaultState) -> None:
    _restore_route(state, state.node(fault.node), state.node(str(fault.peer)))
    _sync(state)


def _blackhole(state: LabState, fault: FaultState) -> str:
    node, peer = state.node(fault.node), state.node(str(fault.peer))
    fault.undo = {"prefix": peer.pod_cidr}
    _run.ip_batch(node.namespace, [f"route replace blackhole {peer.pod_cidr}"])
    return f"{node.name} drops everything for {peer.name}'s pod range {peer.pod_cidr} (blackhole route)"


def _heal_blackhole(state: LabState, fault: FaultState) -> None:
    node = state.node(fault.node)
    _run.ip_batch(node.namespace, [f"route del blackhole {fault.undo['prefix']}"])
    _restore_route(state, node, state.node(str(fault.peer)))


# wrong-vxlan-fdb / underlay-mtu -----------------------------------------------------------------------------

def _wrong_fdb(state: LabState, fault: FaultState) -> str:
    node, peer = state.node(fault.node), state.node(str(fault.peer))
    wrong = lan_spare_ip(state.lan_cidr)
    fault.undo = {"dst": peer.uplink_ip}
    _run.bridge_batch(node.namespace, [styles.fdb_line(peer, wrong)])
    return f"{node.name}'s VXLAN FDB sends {peer.name}'s VTEP MAC {peer.vtep_mac} to {wrong}, not {peer.uplink_ip}"


def _heal_wrong_fdb(state: LabState, fault: FaultState) -> None:
    peer = state.node(str(fault.peer))
    _run.bridge_batch(state.node(fault.node).namespace, [styles.fdb_line(peer, str(fault.undo["dst"]))])


def _mtu(state: LabState, fault: FaultState) -> str:
    node = state.node(fault.node)
    link = _run.ip_json(node.namespace, "link", "show", UPLINK_DEV)
    fault.undo = {"mtu": int(str(link[0]["mtu"]))}
    _run.ip_batch(node.namespace, [f"link set {UPLINK_DEV} mtu {FAULT_MTU}"])
    return (f"{node.name}'s uplink {UPLINK_DEV} MTU {FAULT_MTU} < pod MTU {state.pod_mtu} + {VXLAN_OVERHEAD} (VXLAN): "
            "full-size packets to its pods are dropped")


def _heal_mtu(state: LabState, fault: FaultState) -> None:
    _run.ip_batch(state.node(fault.node).namespace, [f"link set {UPLINK_DEV} mtu {fault.undo['mtu']}"])


# ip-forward-off -----------------------------------------------------------------------------------------------

def _forward_off(state: LabState, fault: FaultState) -> str:
    node = state.node(fault.node)
    fault.undo = _run.get_sysctls(node.namespace, ["net.ipv4.ip_forward"])
    _run.set_sysctls(node.namespace, {"net.ipv4.ip_forward": "0"})
    return f"{node.name} no longer forwards: its pods are cut off from other nodes"


def _heal_forward(state: LabState, fault: FaultState) -> None:
    _run.set_sysctls(state.node(fault.node).namespace, {str(k): str(v) for k, v in fault.undo.items()})


# rp-filter-strict ----------------------------------------------------------------------------------------------

def _rp_strict(state: LabState, fault: FaultState) -> str:
    node, peer = state.node(fault.node), state.node(str(fault.peer))
    index = state.nodes.index(node) + 1
    rtr_ip, node_ip, length = transfer_link(index)
    rtr = add_router(state)
    _run.ip_batch(rtr, [f"link add {node.name} type veth peer name {ROUTER_LINK} netns {node.namespace}",
                        f"addr add {rtr_ip}/{length} dev {node.name}", f"link set {node.name} up",
                        f"route replace {peer.pod_cidr} via {peer.uplink_ip} dev {UPLINK_DEV}"])
    _run.ip_batch(node.namespace, [f"addr add {node_ip}/{length} dev {ROUTER_LINK}", f"link set {ROUTER_LINK} up",
                                   f"route replace {peer.pod_cidr} via {rtr_ip} dev {ROUTER_LINK}"])
    fault.undo = {"sysctls": _run.get_sysctls(node.namespace, ["net.ipv4.conf.all.rp_filter"]),
                  "via": rtr_ip, "prefix": peer.pod_cidr}
    _run.set_sysctls(node.namespace, {"net.ipv4.conf.all.rp_filter": "1"})
    return (f"{node.name} sends replies for {peer.name}'s pods via {rtr} but receives their traffic directly; "
            f"strict rp_filter drops what arrives from {peer.name}")


def _heal_rp_strict(state: LabState, fault: FaultState) -> None:
    node, peer = state.node(fault.node), state.node(str(fault.peer))
    _run.set_sysctls(node.namespace, dict(fault.undo["sysctls"]))
    _run.ip_batch(node.namespace, [f"route del {fault.undo['prefix']} via {fault.undo['via']} dev {ROUTER_LINK}",
                                   f"link del {ROUTER_LINK}"])
    _restore_route(state, node, peer)
    others = [f for f in state.faults if f.name == "rp-filter-strict"]
    if state.router_namespace and not any(f.undo.get("prefix") == fault.undo["prefix"] for f in others):
        _run.ip_batch(state.router_namespace, [f"route del {fault.undo['prefix']}"], force=True)
    if not others and not state.route_reflector:
        remove_router(state)


FAULTS: dict[str, FaultKind] = {
    "no-pod-range": FaultKind(_no_range, _heal_no_range, needs_peer=False),
    "overlapping-pod-ranges": FaultKind(_overlap, _heal_overlap),
    "missing-route": FaultKind(_missing_route, _heal_missing_route),
    "wrong-vxlan-fdb": FaultKind(_wrong_fdb, _heal_wrong_fdb, styles=("vxlan",)),
    "underlay-mtu": FaultKind(_mtu, _heal_mtu, needs_peer=False, styles=("vxlan",)),
    "ip-forward-off": FaultKind(_forward_off, _heal_forward, needs_peer=False),
    "rp-filter-strict": FaultKind(_rp_strict, _heal_rp_strict),
    "blackhole-route": FaultKind(_blackhole, _heal_blackhole),
}


def _pick(state: LabState, name: str, node: str | None, peer: str | None) -> tuple[NodeState, NodeState | None]:
    kind = FAULTS[name]
    if node is None:
        if len(state.nodes) < 2:
            raise LabError("give --node: the lab has one node")
        node = "n2"
    target = state.node(node)
    if target.pod_cidr is None:
        raise LabError(f"{name}: node {target.name} has no pod range (choose a node that has one with --node)")
    if not kind.needs_peer:
        return target, None
    if peer is None:
        candidates = [n for n in _others(state, target) if n.pod_cidr is not None]
        if not candidates:
            raise LabError(f"{name}: no other node with a pod range to pair {target.name} with")
        return target, candidates[0]
    other = state.node(peer)
    if other.name == target.name or other.pod_cidr is None:
        raise LabError(f"{name}: --peer must be another node with a pod range, got {peer}")
    return target, other


def apply(lab: str, name: str, *, node: str | None = None, peer: str | None = None) -> FaultState:
    """Apply fault ``name`` to lab ``lab``; recorded in the state file."""
    if name not in FAULTS:
        raise LabError(f"unknown fault {name!r}; expected one of: {', '.join(FAULTS)}")
    state = load(lab)
    if not state.complete:
        raise LabError(f"lab {lab} was not built completely; rebuild it: netblame lab down --name {lab}, then up")
    kind = FAULTS[name]
    if state.style not in kind.styles:
        raise LabError(f"{name} needs a lab of style {' or '.join(kind.styles)}; lab {lab} is {state.style}")
    target, other = _pick(state, name, node, peer)
    if any(f.name == name and f.node == target.name for f in state.faults):
        raise LabError(f"{name} is already active on {target.name}")
    fault = FaultState(name=name, node=target.name, peer=other.name if other else None)
    state.faults.append(fault)
    try:
        fault.detail = kind.apply(state, fault)
    finally:
        save(state)
    return fault


def heal(lab: str, name: str | None = None, *, node: str | None = None) -> list[FaultState]:
    """Heal fault ``name`` (every fault when None), newest first; returns what was healed."""
    state = load(lab)
    chosen = [f for f in state.faults if (name is None or f.name == name) and (node is None or f.node == node)]
    if name is not None and not chosen:
        raise LabError(f"{name} is not active on lab {lab}" + (f" node {node}" if node else ""))
    for fault in reversed(chosen):
        state.faults.remove(fault)
        try:
            FAULTS[fault.name].heal(state, fault)
        except BaseException:
            state.faults.append(fault)
            raise
        finally:
            save(state)
    return chosen
