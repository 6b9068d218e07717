"""The hand-off is proven in the lab, not only printed: a router runs the FRR configuration ``handoff``
generated (BGP with every node, or the static routes), learns every node's pod range, and a host behind it
reaches the pods; the advised pod MTU passes full-size DF packets over a reduced underlay and one byte more
does not."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lab_oracle import broken_pairs, lab_name, ping
from router_ns import bird, bird_established, established, frr_bgpd, host_behind, sh, wait_routes

import netblame
from netblame.api.collect import collect
from netblame.lab.bird import pidfiles
from netblame.lab.build import add_router
from netblame.lab.layout import lan_router_ip
from netblame.lab.state import LabState, load, save
from netblame.underlay.handoff import Handoff
from netblame.underlay.router import snippets

pytestmark = pytest.mark.root


def _handoff(state: LabState, **options: object) -> Handoff:
    snapshot = collect(lab=state.name)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "snap.json")
        netblame.save_snapshot(snapshot, path)
        return netblame.handoff(snapshot_file=path, options=netblame.HandoffOptions(**options))  # type: ignore[arg-type]


@pytest.fixture()
def default_via_router(request: pytest.FixtureRequest) -> Iterator[Callable[[LabState], None]]:
    """Give every node a default route via the lab's router (as nodes on a LAN have), removed afterwards."""
    done: list[tuple[str, str]] = []

    def add(state: LabState) -> None:
        router = lan_router_ip(state.lan_cidr)
        for node in state.nodes:
            sh("ip", "-n", node.namespace, "route", "replace", "default", "via", router)
            done.append((node.namespace, router))

    yield add
    for namespace, router in done:
        sh("ip", "-n", namespace, "route", "del", "default", "via", router, check=False)


def _stop_lab_reflector(state: LabState) -> None:
    """The lab's own reflector (BIRD) steps aside: from now on the generated configuration is the router."""
    for pidfile in pidfiles(state.name):
        if pidfile.name == "bird-rtr.pid":
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
            pidfile.unlink(missing_ok=True)  # BIRD may remove it itself as it stops


@pytest.mark.parametrize("daemon", ["frr", "bird"])
def test_bgp_handoff_router_learns_every_pod_range(
        daemon: str, build_lab: Callable[..., LabState], default_via_router: Callable[[LabState], None]) -> None:
    state = build_lab(name=lab_name(f"lhb{daemon[0]}"), style="routed", nodes=3, pods_per_node=1,
                      route_reflector=True)
    rtr = state.router_namespace
    assert rtr is not None
    result = _handoff(state, cni="calico", routing="none", router_ip=lan_router_ip(state.lan_cidr))
    assert result.routing == "bgp"
    _stop_lab_reflector(state)
    pod_ranges = {n.pod_cidr for n in state.nodes if n.pod_cidr}
    addresses = {n.uplink_ip for n in state.nodes}
    if daemon == "frr":
        with frr_bgpd(rtr, snippets(result)["frr-bgp.conf"]) as work:
            learnt = wait_routes(rtr, "bgp", pod_ranges)
            peers = established(work, addresses)
            assert set(peers) == addresses, f"sessions: {peers}"
            assert all(received >= 1 for received in peers.values())  # every node announced its range
            _reach_every_pod(state, rtr, learnt, pod_ranges, default_via_router)
    else:
        with bird(rtr, snippets(result)["bird-bgp.conf"]) as work:
            learnt = wait_routes(rtr, "bird", pod_ranges)
            assert len(bird_established(work, len(addresses))) == len(addresses)
            _reach_every_pod(state, rtr, learnt, pod_ranges, default_via_router)


def _reach_every_pod(state: LabState, rtr: str, learnt: set[str], pod_ranges: set[str],
                     default_via_router: Callable[[LabState], None]) -> None:
    assert pod_ranges <= learnt, f"router learnt {sorted(learnt)}"
    default_via_router(state)
    with host_behind(rtr, f"nb-{state.name}-host") as host:
        unreached = [p.name for p in state.pods if p.ip and not ping(host, p.ip)]
        assert unreached == []
    assert broken_pairs(state) == set()  # the nodes still reach each other through the reflector


def test_static_route_handoff_router_reaches_every_pod(
        build_lab: Callable[..., LabState], default_via_router: Callable[[LabState], None]) -> None:
    state = build_lab(name=lab_name("lhs"), style="host-routes", nodes=3, pods_per_node=1)
    rtr = add_router(state)
    save(state)
    result = _handoff(state, router_ip=lan_router_ip(state.lan_cidr))
    assert result.routing == "static"
    lines = snippets(result)["static-routes.sh"].splitlines()
    assert len(lines) == len(state.nodes)
    with host_behind(rtr, f"nb-{state.name}-host") as host:
        default_via_router(state)
        first = next(p for p in state.pods if p.ip)
        assert first.ip is not None and not ping(host, first.ip)  # the oracle can fail: no route yet
        for line in lines:  # "ip route replace PREFIX via ADDRESS", run in the router namespace
            sh("ip", "-n", rtr, *line.split()[1:])
        unreached = [p.name for p in state.pods if p.ip and not ping(host, p.ip)]
        assert unreached == []
    assert all(s.state != "not met" for s in result.checks)


def _set_mtu(state: LabState, mtu: int) -> None:
    for node in state.nodes:
        subprocess.run(["ip", "-n", node.namespace, "link", "set", "flannel.1", "mtu", str(mtu)],
                       capture_output=True, check=False)  # the kernel refuses more than the underlay carries
    for pod in state.pods:
        sh("ip", "-n", pod.namespace, "link", "set", "eth0", "mtu", str(mtu))


def test_advised_pod_mtu_passes_full_size_df_packets_and_one_byte_more_does_not(
        build_lab: Callable[..., LabState]) -> None:
    state = build_lab(name=lab_name("lhm"), style="vxlan", nodes=2, pods_per_node=1)
    underlay = 1400
    for node in state.nodes:
        sh("ip", "-n", state.lan_namespace, "link", "set", node.name, "mtu", str(underlay))
        sh("ip", "-n", node.namespace, "link", "set", "eth0", "mtu", str(underlay))
    state = load(state.name)
    before = _handoff(state)
    assert before.mtu.underlay_mtu == underlay and before.mtu.encapsulation == ("vxlan",)
    advised = before.mtu.pod_mtu
    assert advised == underlay - 50
    src, dst = state.pods[0], state.pods[1]
    assert dst.ip is not None and src.node != dst.node
    _set_mtu(state, advised)
    assert ping(src.namespace, dst.ip, size=advised - 28, dont_fragment=True)  # 20 IPv4 + 8 ICMP
    after = _handoff(state)
    assert all(s.state == "met" for s in after.checks if s.requirement == "underlay MTU")
    _set_mtu(state, advised + 1)
    assert not ping(src.namespace, dst.ip, size=advised + 1 - 28, dont_fragment=True)
    assert ping(src.namespace, dst.ip, size=advised - 28, dont_fragment=True)
    _set_mtu(state, 1450)  # what the pods had before the underlay shrank: the hand-off flags it
    flagged = _handoff(state)
    assert any(s.rule == "NB501" and s.state == "not met" for s in flagged.checks)
