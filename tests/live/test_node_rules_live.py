"""The node rules on a real mini lab: quiet on the healthy lab except the one veth built with a down peer,
and each rule fires once the kernel state it is about is broken (then the lab is put back)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from minilab import LAN, NODES, PREFIX, MiniLab, sh

from netblame.checks import run_rules
from netblame.findings import Finding
from netblame.live.group import group_lab
from netblame.live.live import collect_namespaces
from netblame.model.snapshot import Snapshot

pytestmark = pytest.mark.root
N1, N2 = list(NODES)
STATE = {"nodes": [{"name": f"n{i}", "namespace": ns, "pod_cidr": f"{NODES[ns][1]}.0/24"}
                   for i, ns in enumerate(NODES, start=1)]}


def findings(lab: MiniLab) -> list[Finding]:
    ino = os.stat(f"/proc/{lab.holder_pid}/ns/net").st_ino
    namespaces, _ = collect_namespaces(only=lambda ref: ref.id.startswith(PREFIX) or ref.key[1] == ino)
    nodes = group_lab("t", STATE, namespaces, prefix=PREFIX)
    found = run_rules([Snapshot(source="live", nodes=tuple(nodes))]).findings
    return list(found)


def test_healthy_lab_only_shows_the_down_veth(lab: MiniLab) -> None:
    found = findings(lab)
    assert [(f.rule, f.location.object) for f in found] == [
        ("NB303", f"node n1 / netns {N1} / dev veth-u1")], [f.message for f in found]


FAULTS = {  # rule -> (break, repair), as iproute2 / sysctl commands
    "NB301": ([["ip", "-n", N2, "link", "set", "eth0", "mtu", "1400"]],
              [["ip", "-n", N2, "link", "set", "eth0", "mtu", "1500"]]),
    "NB302": ([["ip", "-n", N1, "route", "del", "10.77.2.0/24"]],
              [["ip", "-n", N1, "route", "add", "10.77.2.0/24", "via", "10.77.2.0", "dev", "flannel.1", "onlink"]]),
    "NB304": ([["ip", "netns", "exec", N2, "sysctl", "-qw", "net.ipv4.ip_forward=0"]],
              [["ip", "netns", "exec", N2, "sysctl", "-qw", "net.ipv4.ip_forward=1"]]),
    "NB306": ([["ip", "-n", f"{N2}-p1", "addr", "add", "10.77.1.2/32", "dev", "eth0"]],
              [["ip", "-n", f"{N2}-p1", "addr", "del", "10.77.1.2/32", "dev", "eth0"]]),
    "NB307": ([["bridge", "-n", N1, "fdb", "replace", NODES[N2][2], "dev", "flannel.1", "dst", "192.168.77.99"]],
              [["bridge", "-n", N1, "fdb", "replace", NODES[N2][2], "dev", "flannel.1", "dst", NODES[N2][0]]]),
    "NB308": ([["ip", "-n", N1, "route", "replace", "blackhole", "10.77.2.0/24"]],
              [["ip", "-n", N1, "route", "replace", "10.77.2.0/24", "via", "10.77.2.0", "dev", "flannel.1",
                "onlink"]]),
    "NB305": ([["ip", "-n", LAN, "link", "add", "r2", "type", "veth", "peer", "name", "rtr0", "netns", N2],
               ["ip", "-n", N2, "addr", "add", "172.31.0.2/30", "dev", "rtr0"],
               ["ip", "-n", N2, "link", "set", "rtr0", "up"], ["ip", "-n", LAN, "link", "set", "r2", "up"],
               ["ip", "-n", N2, "route", "replace", "10.77.1.0/24", "via", "172.31.0.1", "dev", "rtr0"],
               ["ip", "netns", "exec", N2, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=1"]],
              [["ip", "netns", "exec", N2, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=2"],
               ["ip", "-n", N2, "link", "del", "rtr0"],
               ["ip", "-n", N2, "route", "replace", "10.77.1.0/24", "via", "10.77.1.0", "dev", "flannel.1",
                "onlink"]]),
}


@pytest.fixture
def broken(request: pytest.FixtureRequest, lab: MiniLab) -> Iterator[str]:
    rule: str = request.param
    apply, repair = FAULTS[rule]
    try:
        for argv in apply:
            sh(*argv)
        yield rule
    finally:
        for argv in repair:
            sh(*argv, check=False)


@pytest.mark.parametrize("broken", sorted(FAULTS), indirect=True)
def test_each_rule_fires_on_its_fault(broken: str, lab: MiniLab) -> None:
    fired = {f.rule for f in findings(lab)}
    assert broken in fired, fired
    # a deleted route may also be a missing one; a lowered underlay is too small for the pods too (NB501)
    assert fired <= {broken, "NB303", "NB302"} | ({"NB501"} if broken == "NB301" else set()), fired


def test_lab_is_healthy_again_after_the_faults(lab: MiniLab) -> None:
    assert [f.rule for f in findings(lab)] == ["NB303"]
