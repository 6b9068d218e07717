"""Collect each style of lab and check the snapshot holds exactly what the lab built: its nodes and pods,
every veth matched to its peer namespace, the bridges, the VXLAN devices and FDB, the pod routes."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import pytest
from lab_oracle import lab_name

from netblame.lab.state import LabState
from netblame.live.run import collect_snapshot
from netblame.model.snapshot import Namespace, Snapshot

pytestmark = pytest.mark.root

LABS = {"ltcv": ("vxlan", "bridge"), "ltcr": ("routed", "ptp"), "ltch": ("host-routes", "bridge")}


@pytest.fixture(scope="module", params=sorted(LABS))
def collected(request: pytest.FixtureRequest, build_lab: Callable[..., LabState]) -> tuple[LabState, Snapshot]:
    style, cni = LABS[request.param]
    state = build_lab(name=lab_name(request.param), style=style, cni=cni)
    snapshot, _ = collect_snapshot(lab=state.name)
    return state, snapshot


def _v4(ns: Namespace, dev: str) -> list[tuple[str, int]]:
    return [(a.address, a.prefixlen) for a in ns.addresses if a.dev == dev and a.family == 4]


def test_nodes_and_pods(collected: tuple[LabState, Snapshot]) -> None:
    state, snapshot = collected
    assert [(n.name, n.role, n.pod_cidrs) for n in snapshot.nodes] == [
        *((n.name, "node", (n.pod_cidr,)) for n in state.nodes), ("lan", "network", ())]
    for node in state.nodes:
        group = next(n for n in snapshot.nodes if n.name == node.name)
        assert sorted((ns.name, ns.role, ns.pod) for ns in group.namespaces) == sorted(
            [(node.namespace, "host", None)] + [(p.namespace, "pod", p.name) for p in state.pods_of(node.name)])
        host = next(ns for ns in group.namespaces if ns.role == "host")
        assert _v4(host, "eth0") == [(node.uplink_ip, 24)]
        assert host.sysctls.get("net.ipv4.ip_forward") == "1"
    namespaces = snapshot.namespaces()
    for pod in state.pods:
        assert _v4(namespaces[pod.namespace], "eth0") == [(pod.ip, pod.prefixlen)]


def test_every_veth_is_matched_to_its_peer(collected: tuple[LabState, Snapshot]) -> None:
    state, snapshot = collected
    namespaces = snapshot.namespaces()
    veths = [(ns, link) for ns in namespaces.values() for link in ns.links if link.kind == "veth"]
    assert len(veths) == 2 * (len(state.nodes) + len(state.pods))  # uplinks and pod links, both ends
    for ns, link in veths:
        assert link.peer is not None, (ns.id, link.name)
        other = namespaces[link.peer.namespace].link(link.peer.ifname)
        assert other is not None and other.peer is not None
        assert (other.peer.namespace, other.peer.ifname) == (ns.id, link.name)
    for pod in state.pods:
        eth0 = namespaces[pod.namespace].link("eth0")
        assert eth0 is not None and eth0.peer is not None
        assert eth0.peer.namespace == state.node(pod.node).namespace
        host_end = namespaces[eth0.peer.namespace].link(eth0.peer.ifname)
        assert host_end is not None and host_end.master == ("cni0" if state.cni == "bridge" else None)


def test_bridges(collected: tuple[LabState, Snapshot]) -> None:
    state, snapshot = collected
    namespaces = snapshot.namespaces()
    lan = namespaces[state.lan_namespace]
    assert [lk.name for lk in lan.links if lk.kind == "bridge"] == ["br0"]
    assert sorted((lk.name, lk.peer.namespace if lk.peer else None) for lk in lan.links if lk.master == "br0") == [
        (n.name, n.namespace) for n in state.nodes]
    for node in state.nodes:
        bridges = [lk.name for lk in namespaces[node.namespace].links if lk.kind == "bridge"]
        assert bridges == (["cni0"] if state.cni == "bridge" else [])
        if bridges:
            gateway = str(ipaddress.ip_network(str(node.pod_cidr))[1])
            assert _v4(namespaces[node.namespace], "cni0") == [(gateway, 24)]


def test_tunnels_and_routes(collected: tuple[LabState, Snapshot]) -> None:
    state, snapshot = collected
    namespaces = snapshot.namespaces()
    for node in state.nodes:
        ns = namespaces[node.namespace]
        peers = [p for p in state.nodes if p.name != node.name]
        vxlans = [lk for lk in ns.links if lk.kind == "vxlan"]
        routes = {r.dst: r for r in ns.routes if r.table == "main" and r.family == 4}
        to_peers = {dst: r for dst, r in routes.items() if dst in {p.pod_cidr for p in peers}}
        assert set(to_peers) == {p.pod_cidr for p in peers}
        if state.style == "vxlan":
            assert [(lk.name, lk.mtu) for lk in vxlans] == [("flannel.1", 1450)]
            vx = vxlans[0].vxlan
            assert vx is not None and (vx.vni, vx.port, vx.local, vx.underlay_dev, vx.learning) == (
                1, 8472, node.uplink_ip, "eth0", False)
            fdb = {(e.mac, e.dst) for e in ns.fdb if e.dev == "flannel.1"}
            assert {(p.vtep_mac, p.uplink_ip) for p in peers} <= fdb
            for p in peers:
                route = to_peers[str(p.pod_cidr)]
                vtep = str(ipaddress.ip_network(str(p.pod_cidr)).network_address)
                assert (route.gateway, route.dev, route.onlink) == (vtep, "flannel.1", True)
        else:
            assert vxlans == []
            for p in peers:
                route = to_peers[str(p.pod_cidr)]
                assert (route.gateway, route.dev) == (p.uplink_ip, "eth0")
                assert route.protocol == ("bird" if state.style == "routed" else "boot")
