"""``lab up`` and ``lab down``: namespaces, the LAN, uplinks and pods, built with iproute2 batches.

Down finds a lab's objects by name prefix (``nb-<lab>-``), not only from the state file, so it also
removes what a crashed ``up`` left behind.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import time
from collections.abc import Callable

from netblame.errors import LabError
from netblame.lab import _run, bird, cni, styles
from netblame.lab.layout import (
    LAN_BRIDGE,
    UPLINK_DEV,
    LabLayout,
    LabSpec,
    check_name,
    lan_outside_ip,
    lan_router_ip,
    make_layout,
    outside_namespace,
    prefix,
    router_namespace,
)
from netblame.lab.state import LabState, NodeState, PodState, exists, load, save, state_path, work_dir

OUTSIDE_MAC = "0e:6e:62:ff:00:01"  # locally administered, beside the VTEPs' 0e:6e:62:00:...
# Forwarding on; loose reverse-path filtering, as upstream systemd's sysctl.d/50-default.conf sets it.
NODE_SYSCTLS = {"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "2"}


def initial_state(plan: LabLayout) -> LabState:
    """The state of ``plan`` before anything is built (pod addresses unknown)."""
    spec = plan.spec
    nodes = [NodeState(name=n.name, namespace=n.namespace, pod_cidr=n.pod_cidr, uplink_dev=UPLINK_DEV,
                       uplink_ip=n.uplink_ip,
                       vtep_mac=styles.vtep_mac(n.index) if spec.style == "vxlan" and n.pod_cidr else None)
             for n in plan.nodes]
    pods = [PodState(name=p.name, namespace=p.namespace, node=p.node, ip=None) for n in plan.nodes for p in n.pods]
    return LabState(name=spec.name, style=spec.style, cni=spec.cni, pod_cidr=spec.pod_cidr,
                    node_mask=spec.node_mask, lan_cidr=spec.lan_cidr, lan_namespace=plan.lan_namespace,
                    pods_per_node=spec.pods_per_node, pod_mtu=plan.pod_mtu, route_reflector=spec.route_reflector,
                    nodes=nodes, pods=pods)


def _topology(plan: LabLayout, state: LabState) -> None:
    names = [plan.lan_namespace] + [n.namespace for n in state.nodes] + [p.namespace for p in state.pods]
    _run.ip_batch(None, [f"netns add {name}" for name in names])
    lan = ["link set lo up", f"link add {LAN_BRIDGE} type bridge", f"link set {LAN_BRIDGE} up"]
    for node in state.nodes:
        lan += [f"link add {node.name} type veth peer name {UPLINK_DEV} netns {node.namespace}",
                f"link set {node.name} master {LAN_BRIDGE} up"]
    _run.ip_batch(plan.lan_namespace, lan)

    def setup(node: NodeState) -> None:
        _run.ip_batch(node.namespace, ["link set lo up",
                                       f"addr add {node.uplink_ip}/{plan.lan_prefixlen} dev {UPLINK_DEV}",
                                       f"link set {UPLINK_DEV} up", *styles.device_lines(state.style, node)])
        _run.set_sysctls(node.namespace, NODE_SYSCTLS)

    _run.parallel(setup, state.nodes)


def add_router(state: LabState) -> str:
    """The router namespace on the LAN (``nb-<lab>-rtr``, last LAN address), created when first needed."""
    rtr = router_namespace(state.name)
    if state.router_namespace is None:
        lan = ipaddress.IPv4Network(state.lan_cidr)
        _run.ip_batch(None, [f"netns add {rtr}"])
        state.router_namespace = rtr
        _run.ip_batch(state.lan_namespace, [f"link add rtr type veth peer name {UPLINK_DEV} netns {rtr}",
                                            f"link set rtr master {LAN_BRIDGE} up"])
        address = f"{lan_router_ip(state.lan_cidr)}/{lan.prefixlen}"
        _run.ip_batch(rtr, ["link set lo up", f"addr add {address} dev {UPLINK_DEV}", f"link set {UPLINK_DEV} up"])
        _run.set_sysctls(rtr, {"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "0"})
    return rtr


def remove_router(state: LabState) -> None:
    """Delete the router namespace. Its LAN port goes first: a deleted namespace's devices vanish only when
    the kernel gets round to cleaning it up, and until then the LAN would hold a port with a dead peer."""
    if state.router_namespace is not None:
        _run.ip_batch(state.lan_namespace, ["link del rtr"])
        _run.ip_batch(None, [f"netns del {state.router_namespace}"])
        state.router_namespace = None


def add_outside(state: LabState) -> tuple[str, str]:
    """An outside host on the LAN (``nb-<lab>-out``): a machine that is not a node, with one LAN address and no
    other route, as a client of a NodePort. Returns its namespace and address."""
    ns, lan = outside_namespace(state.name), ipaddress.IPv4Network(state.lan_cidr)
    address = lan_outside_ip(state.lan_cidr)
    taken = {n.uplink_ip for n in state.nodes} | {lan_router_ip(state.lan_cidr)}
    if address in taken:
        raise LabError(f"--lan-cidr {state.lan_cidr} has no address left for an outside host")
    _run.ip_batch(None, [f"netns add {ns}"])
    _run.ip_batch(state.lan_namespace, [f"link add out type veth peer name {UPLINK_DEV} netns {ns}",
                                        f"link set out master {LAN_BRIDGE} up"])
    # A fixed MAC: a host that comes back keeps its MAC, so the nodes' neighbour entries for it stay right.
    _run.ip_batch(ns, ["link set lo up", f"link set {UPLINK_DEV} address {OUTSIDE_MAC}",
                       f"addr add {address}/{lan.prefixlen} dev {UPLINK_DEV}", f"link set {UPLINK_DEV} up"])
    return ns, address


def remove_outside(state: LabState, namespace: str) -> None:
    """Delete the outside host (its LAN port first, as :func:`remove_router` does)."""
    _run.ip_batch(state.lan_namespace, ["link del out"], force=True)
    _run.ip_batch(None, [f"netns del {namespace}"], force=True)


def pod_config(state: LabState, node: NodeState, *, force_address: bool = False) -> dict[str, object]:
    assert node.pod_cidr is not None
    return cni.network_config(state.name, node.name, state.cni, node.pod_cidr, state.pod_mtu,
                              force_address=force_address)


def attach_pods(state: LabState, node: NodeState, *, force_address: bool = False) -> None:
    """CNI ADD every pod of ``node`` (one after another, as one kubelet would), recording addresses."""
    if node.pod_cidr is None:
        return
    for i, pod in enumerate(state.pods_of(node.name)):
        config = pod_config(state, node, force_address=force_address and i == 0)
        pod.ip, pod.prefixlen = cni.add(node.namespace, pod.namespace, config)


def detach_pods(state: LabState, node: NodeState) -> None:
    """CNI DEL every pod of ``node`` (in parallel, as a kubelet tears pods down) and forget its host-local
    allocations."""
    if node.pod_cidr is not None:
        config = pod_config(state, node)

        def release(pod: PodState) -> None:
            cni.delete(node.namespace, pod.namespace, config)
            pod.ip = pod.prefixlen = None

        _run.parallel(release, state.pods_of(node.name))
    cni.forget(state.name, node.name)


def up(spec: LabSpec, progress: Callable[[str], None] | None = None) -> LabState:
    """Build lab ``spec``; on failure, tear down what was built and raise :class:`LabError`.
    ``progress`` hears one line per stage."""
    say = progress or (lambda _: None)
    plan = make_layout(spec)
    if exists(spec.name) or _run.namespaces_with_prefix(prefix(spec.name)):
        raise LabError(f"lab {spec.name} already exists (or left objects behind); "
                       f"remove it first: netblame lab down {spec.name}")
    state = initial_state(plan)
    work_dir(spec.name).mkdir(parents=True, exist_ok=True)
    save(state)
    try:
        say(f"lab {spec.name}: {len(state.nodes)} nodes and the LAN (style {spec.style})")
        _topology(plan, state)
        say(f"lab {spec.name}: attaching {len(state.pods)} pods with CNI {spec.cni}")
        _run.parallel(lambda n: attach_pods(state, n), state.nodes)
        if spec.route_reflector:
            add_router(state)
        save(state)
        say(f"lab {spec.name}: " + ("starting BIRD, waiting for BGP" if spec.style == "routed" else "pod routes"))
        styles.wire(state)
        state.complete = True
        save(state)
    except BaseException:
        with contextlib.suppress(LabError):
            down(spec.name)
        raise
    return state


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _kill(pids: set[int]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        alive = set()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
                alive.add(pid)
        deadline = time.monotonic() + 2
        while alive and time.monotonic() < deadline:
            alive = {pid for pid in alive if _alive(pid)}
            time.sleep(0.05)
        pids = alive
        if not pids:
            return


def _lab_pids(lab: str, namespaces: list[str]) -> set[int]:
    """Processes inside the lab's namespaces, and the BIRDs it started (only while their command line
    still names the lab's directory: a stale pid file must not end someone else's process)."""
    pids = set()
    for pidfile in bird.pidfiles(lab):
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int(pidfile.read_text().split()[0])
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if str(work_dir(lab)).encode() + b"/" in fh.read():
                    pids.add(pid)
    for ns in namespaces:
        out = _run.run(["ip", "netns", "pids", ns], check=False).stdout
        pids.update(int(p) for p in out.split() if p.isdigit())
    return pids


def down(lab: str) -> list[str]:
    """Remove every object of lab ``lab``; idempotent. Returns the namespaces removed."""
    check_name(lab)
    with contextlib.suppress(LabError):  # no (readable) state: nothing to DEL, the rest is found by name
        state = load(lab)
        for node in state.nodes:
            with contextlib.suppress(LabError):
                detach_pods(state, node)
    namespaces = _run.namespaces_with_prefix(prefix(lab))
    _kill(_lab_pids(lab, namespaces))
    # pods first, then nodes, the router and the LAN: their veths vanish with them
    order = sorted(namespaces, key=lambda n: (-n.count("-"), n))
    _run.ip_batch(None, [f"netns del {name}" for name in order], force=True)
    left = _run.namespaces_with_prefix(prefix(lab))
    shutil.rmtree(work_dir(lab), ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        state_path(lab).unlink()
    if left:
        raise LabError(f"could not remove namespaces {', '.join(left)}")
    return namespaces
