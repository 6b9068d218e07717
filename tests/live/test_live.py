"""Live collection of a real mini lab: named and unnamed namespaces, veth peers, bridges, VXLAN, routes."""

from __future__ import annotations

import os

import pytest
from minilab import LAN, NODES, PREFIX, MiniLab

from netblame.live.live import collect_namespaces
from netblame.model.snapshot import Namespace

pytestmark = pytest.mark.root
N1, N2 = list(NODES)


def _collect(lab: MiniLab) -> dict[str, Namespace]:
    ino = os.stat(f"/proc/{lab.holder_pid}/ns/net").st_ino
    namespaces, _ = collect_namespaces(
        only=lambda ref: bool(ref.name and ref.name.startswith(PREFIX)) or ref.key[1] == ino)
    return {ns.id: ns for ns in namespaces}


@pytest.fixture(scope="module")
def spaces(lab: MiniLab) -> dict[str, Namespace]:
    return _collect(lab)


def test_every_namespace_named_and_unnamed_is_found_once(lab: MiniLab, spaces: dict[str, Namespace]) -> None:
    ino = os.stat(f"/proc/{lab.holder_pid}/ns/net").st_ino
    assert set(spaces) == {*lab.namespaces, f"netns-{ino}"}
    unnamed = spaces[f"netns-{ino}"]
    assert unnamed.name is None and unnamed.inode == ino
    assert [(h.pid, h.comm) for h in unnamed.holders] == [(lab.holder_pid, "sleep")]
    assert all(not ns.errors for ns in spaces.values()), {k: ns.errors for k, ns in spaces.items() if ns.errors}


def test_veth_peers_are_matched_across_namespaces(lab: MiniLab, spaces: dict[str, Namespace]) -> None:
    ino = os.stat(f"/proc/{lab.holder_pid}/ns/net").st_ino

    def peer(ns: str, dev: str) -> tuple[str, str] | None:
        link = spaces[ns].link(dev)
        assert link is not None, f"{dev} missing in {ns}"
        return (link.peer.namespace, link.peer.ifname) if link.peer else None

    assert peer(N1, "eth0") == (LAN, "n1")
    assert peer(LAN, "n2") == (N2, "eth0")
    assert peer(f"{N1}-p1", "eth0") == (N1, "veth-p1")
    assert peer(N1, "veth-p1") == (f"{N1}-p1", "eth0")
    assert peer(f"netns-{ino}", "eth0") == (N1, "veth-u1")  # the host side names a namespace without a name
    assert peer(N1, "veth-u1") == (f"netns-{ino}", "eth0")
    n1 = spaces[N1]
    for link in n1.links:
        if link.peer:
            other = spaces[link.peer.namespace].link(link.peer.ifname)
            assert other is not None and other.ifindex == link.peer.ifindex


def test_bridges_vxlan_and_cni_devices(spaces: dict[str, Namespace]) -> None:
    lan = spaces[LAN]
    assert sorted(lk.name for lk in lan.links if lk.master == "br0") == ["n1", "n2"]
    n1 = spaces[N1]
    assert sorted(lk.name for lk in n1.links if lk.master == "cni0") == ["veth-p1", "veth-u1"]
    cni0, vx = n1.link("cni0"), n1.link("flannel.1")
    assert cni0 is not None and cni0.kind == "bridge" and cni0.cni == "cni-bridge"
    assert vx is not None and vx.kind == "vxlan" and vx.cni == "flannel" and vx.mtu == 1450
    assert vx.vxlan is not None
    assert (vx.vxlan.vni, vx.vxlan.port, vx.vxlan.local, vx.vxlan.underlay_dev, vx.vxlan.learning) == (
        1, 8472, NODES[N1][0], "eth0", False)
    remote = [f for f in n1.fdb if f.dev == "flannel.1" and f.dst]
    assert [(f.mac, f.dst) for f in remote] == [(NODES[N2][2], NODES[N2][0])]


def test_routes_neighbours_rules_and_sysctls(spaces: dict[str, Namespace]) -> None:
    n1 = spaces[N1]
    over = [r for r in n1.routes if r.dst == "10.77.2.0/24"]
    assert [(r.table, r.gateway, r.dev, r.onlink) for r in over] == [("main", "10.77.2.0", "flannel.1", True)]
    assert any(r.table == "local" and r.type == "local" and r.dst == f"{NODES[N1][0]}/32" for r in n1.routes)
    pod = spaces[f"{N1}-p1"]
    assert [(r.dst, r.gateway) for r in pod.routes if r.table == "main" and r.gateway] == [("0.0.0.0/0", "10.77.1.1")]
    assert [(n.dst, n.lladdr, n.state) for n in n1.neighbours if n.dev == "flannel.1"] == [
        ("10.77.2.0", NODES[N2][2], ("PERMANENT",))]
    assert sorted(r.priority for r in n1.rules if r.family == 4) == [0, 32766, 32767]
    assert {r.family for r in n1.rules} == {4, 6}
    assert n1.sysctls["net.ipv4.ip_forward"] == "1"
    assert n1.sysctls["net.ipv4.conf.all.rp_filter"] == "2"
    assert "net.ipv4.conf.flannel.1.rp_filter" in n1.sysctls
    assert pod.sysctls["net.ipv4.ip_forward"] == "0"
    assert {(a.dev, a.address, a.prefixlen) for a in n1.addresses if a.family == 4} == {
        ("lo", "127.0.0.1", 8), ("eth0", NODES[N1][0], 24), ("flannel.1", "10.77.1.0", 32), ("cni0", "10.77.1.1", 24)}
