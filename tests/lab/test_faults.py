"""Every fault breaks exactly what it should (checked with pings from pod namespaces), and heal restores it.

Faults go on n2; the peer is n1; n3 is the bystander whose traffic must keep working.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from lab_oracle import Pair, broken_pairs, first_pods, lab_name, ping

from netblame import lab
from netblame.errors import LabError
from netblame.lab import faults, firewall
from netblame.lab.state import LabState, load

pytestmark = pytest.mark.root

# lab kind -> (name, style, CNI plugin, route reflector)
STYLE_LABS = {"vxlan": ("ltfv", "vxlan", "bridge", False), "routed": ("ltfr", "routed", "ptp", False),
              "routed-rr": ("ltfrr", "routed", "bridge", True), "host-routes": ("ltfh", "host-routes", "bridge", False)}
BOTH_WAYS: set[Pair] = {("n1", "n2"), ("n2", "n1")}
ALL_OF_N2: set[Pair] = {("n1", "n2"), ("n2", "n1"), ("n3", "n2"), ("n2", "n3")}
EXPECTED_BROKEN: dict[str, set[Pair]] = {
    "no-pod-range": ALL_OF_N2, "missing-route": BOTH_WAYS, "wrong-vxlan-fdb": BOTH_WAYS,
    "rp-filter-strict": BOTH_WAYS, "blackhole-route": BOTH_WAYS, "ip-forward-off": ALL_OF_N2,
    "firewall-drops-tunnel": ALL_OF_N2, "forward-policy-drop": ALL_OF_N2,
}
# A connected UDP socket learns of the ICMP port unreachable a REJECT sends: its next send fails.
REFUSED = ("import socket, sys, time\n"
           "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect((sys.argv[1], int(sys.argv[2])))\n"
           "try:\n    s.send(b'x'); time.sleep(0.3); s.send(b'x'); s.recv(1)\n"
           "except ConnectionRefusedError:\n    sys.exit(0)\nexcept OSError:\n    sys.exit(3)\nsys.exit(1)\n")


def refused(namespace: str, address: str, port: int) -> bool:
    """Whether a UDP connect from ``namespace`` to ``address:port`` is refused at once."""
    return subprocess.run(["ip", "netns", "exec", namespace, sys.executable, "-c", REFUSED, address, str(port)],
                          capture_output=True, check=False, timeout=10).returncode == 0
CASES = [(kind, fault) for kind, (_, style, _, _) in STYLE_LABS.items() for fault in faults.FAULTS
         if style in faults.FAULTS[fault].styles]


@pytest.fixture(scope="module")
def style_lab(request: pytest.FixtureRequest, build_lab: Callable[..., LabState]) -> LabState:
    name, style, cni, reflector = STYLE_LABS[request.param]
    return build_lab(name=lab_name(name), style=style, cni=cni, route_reflector=reflector)


@pytest.fixture
def healthy(style_lab: LabState) -> Iterator[LabState]:
    """The lab, checked healthy before the test; every fault healed after it, even on failure."""
    assert broken_pairs(style_lab) == set()
    try:
        yield style_lab
    finally:
        lab.heal(style_lab.name)


def _in_echos(namespace: str) -> int:
    """ICMP echo requests the namespace's stack has received (/proc/net/snmp, Icmp InEchos)."""
    lines = [line.split() for line in subprocess.run(["ip", "netns", "exec", namespace, "cat", "/proc/net/snmp"],
                                                     capture_output=True, text=True, check=True).stdout.splitlines()
             if line.startswith("Icmp:")]
    return int(lines[1][lines[0].index("InEchos")])


def _check_broken(fault: str, before: LabState) -> None:
    name = before.name
    after = load(name)
    if fault in EXPECTED_BROKEN:
        assert broken_pairs(after) == EXPECTED_BROKEN[fault]
    elif fault == "service-no-endpoints":
        assert broken_pairs(after) == set()  # pods still reach each other
        pods = first_pods(before)
        assert refused(pods["n1"].namespace, firewall.EMPTY_IP, firewall.PORT)
    elif fault == "underlay-mtu":
        pods = first_pods(before)
        size = before.pod_mtu - 28  # a full-size ICMP echo: 20 bytes IPv4 + 8 bytes ICMP
        assert not ping(pods["n1"].namespace, str(pods["n2"].ip), size=size, dont_fragment=True)
        assert ping(pods["n1"].namespace, str(pods["n3"].ip), size=size, dont_fragment=True)
        assert ping(pods["n1"].namespace, str(pods["n2"].ip))  # small packets still pass
    elif fault == "overlapping-pod-ranges":
        old = {p.name: p.ip for p in before.pods}
        new = {p.name: p.ip for p in after.pods}
        assert after.node("n2").pod_cidr == after.node("n1").pod_cidr
        assert {new["n2-p1"], new["n2-p2"]} == {old["n1-p1"], old["n1-p2"]}
        n1p2, n2p1, n3p1 = (f"nb-{name}-{p}" for p in ("n1-p2", "n2-p1", "n3-p1"))
        # n2's pod now answers in place of n1's pod with the same address: n1-p2 never sees the echo
        echos = _in_echos(n1p2)
        ping(n2p1, str(old["n1-p2"]))
        assert _in_echos(n1p2) == echos
        assert ping(n3p1, str(old["n1-p2"])) and _in_echos(n1p2) == echos + 1  # the counter does count
        assert not ping(n3p1, str(old["n2-p1"]))  # n2's former pod addresses are routed nowhere
        notes = {n.name: n.note for n in lab.status(name, ping=False).nodes}
        assert notes == {"n1": "pod addresses also held on n2", "n2": "pod addresses also held on n1", "n3": ""}
    else:
        pytest.fail(f"no expectation for fault {fault}")


@pytest.mark.parametrize(("style_lab", "fault"), CASES, ids=[f"{s}-{f}" for s, f in CASES], indirect=["style_lab"])
def test_fault_breaks_and_heal_restores(healthy: LabState, fault: str) -> None:
    before = healthy
    applied = faults.apply(before.name, fault, node="n2")
    state = load(before.name)
    assert [(f.name, f.node) for f in state.faults] == [(fault, "n2")] and applied.detail
    if fault == "no-pod-range":
        assert state.node("n2").pod_cidr is None
        assert lab.status(before.name, ping=False).nodes[1].note == "no pod range: no node routes to its pods"
    _check_broken(fault, before)
    lab.heal(before.name, fault)
    healed = load(before.name)
    assert healed.faults == [] and broken_pairs(healed) == set()
    assert [(n.name, n.pod_cidr) for n in healed.nodes] == [(n.name, n.pod_cidr) for n in before.nodes]
    assert [(p.name, p.ip) for p in healed.pods] == [(p.name, p.ip) for p in before.pods]
    assert healed.router_namespace == before.router_namespace


@pytest.mark.parametrize("style_lab", ["host-routes"], indirect=True)
def test_rp_filter_strict_is_what_drops_the_asymmetric_path(healthy: LabState) -> None:
    """The fault's path really is asymmetric, and loose filtering lets it through: strict is the cause."""
    name = healthy.name
    faults.apply(name, "rp-filter-strict", node="n2")
    n1_pod, n2_pod = first_pods(healthy)["n1"], first_pods(healthy)["n2"]
    route = subprocess.run(["ip", "-n", f"nb-{name}-n2", "route", "get", str(n1_pod.ip)],
                           capture_output=True, text=True, check=True).stdout
    assert " dev rtr0 " in route  # replies leave by the router link; requests arrive on eth0
    assert not ping(n1_pod.namespace, str(n2_pod.ip))
    sysctl = ["ip", "netns", "exec", f"nb-{name}-n2", "sysctl", "-qw"]
    subprocess.run([*sysctl, "net.ipv4.conf.all.rp_filter=2"], check=True)
    try:
        assert ping(n1_pod.namespace, str(n2_pod.ip))
    finally:
        subprocess.run([*sysctl, "net.ipv4.conf.all.rp_filter=1"], check=True)
    assert f"nb-{name}-rtr" in os.listdir("/run/netns")
    lab.heal(name)
    assert f"nb-{name}-rtr" not in os.listdir("/run/netns")


@pytest.mark.parametrize("style_lab", ["routed"], indirect=True)
def test_faults_refused_where_they_make_no_sense(healthy: LabState) -> None:
    with pytest.raises(LabError, match="needs a lab of style vxlan"):
        faults.apply(healthy.name, "wrong-vxlan-fdb")
    with pytest.raises(LabError, match="unknown fault"):
        faults.apply(healthy.name, "no-such-fault")
    with pytest.raises(LabError, match="no node 'n9'"):
        faults.apply(healthy.name, "missing-route", node="n9")
    faults.apply(healthy.name, "ip-forward-off", node="n3")
    with pytest.raises(LabError, match="already active"):
        faults.apply(healthy.name, "ip-forward-off", node="n3")
    with pytest.raises(LabError, match="not active"):
        lab.heal(healthy.name, "blackhole-route")
    assert [f.name for f in lab.heal(healthy.name)] == ["ip-forward-off"]
    assert broken_pairs(load(healthy.name)) == set()


@pytest.mark.parametrize("style_lab", ["vxlan"], indirect=True)
def test_heal_all_undoes_several_faults(healthy: LabState) -> None:
    faults.apply(healthy.name, "missing-route", node="n1", peer="n3")
    faults.apply(healthy.name, "underlay-mtu", node="n2")
    faults.apply(healthy.name, "blackhole-route", node="n3", peer="n2")
    assert broken_pairs(load(healthy.name)) == {("n1", "n3"), ("n3", "n1"), ("n2", "n3"), ("n3", "n2")}
    assert [f.name for f in lab.heal(healthy.name)] == ["missing-route", "underlay-mtu", "blackhole-route"]
    assert broken_pairs(load(healthy.name)) == set()
