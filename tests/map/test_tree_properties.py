"""The terminal tree written straight from a snapshot is line for line the one drawn from the whole graph,
for generated snapshots: veth pairs as the collector writes them, and broken ones (a peer that names
another device, a peer that is gone, a device that is its own peer, two devices naming one), bridges and
ports whose bridge is missing, tunnels, BGP routes, a LAN with or without a switch, findings on devices,
namespaces and nodes. The fast way (each device's own peer) and the long way (every pair listed) must
both give the graph's lines."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.findings import Finding, Severity
from netblame.model.origin import Origin
from netblame.model.snapshot import Address, FdbEntry, Link, Namespace, Node, PeerRef, Route, Snapshot, Vxlan
from netblame.render.map_text import render_map_text
from netblame.topology import topology
from netblame.topology.build import subnet
from netblame.topology.tree import tree_text

POOLS = {"host": ("eth0", "cni0", "veth0", "veth1", "veth2", "vx0", "wg0"), "pod": ("eth0", "net1"),
         "other": ("eth0", "veth9")}
KINDS = {"eth0": "device", "cni0": "bridge", "vx0": "vxlan", "wg0": "wireguard"}


def _host_ip(i: int) -> str:
    return f"192.168.7.{10 + i}"


@st.composite
def snapshots(draw: st.DrawFn) -> tuple[Snapshot, list[Finding]]:
    nodes = draw(st.integers(1, 3))
    spaces: list[tuple[int, str, str]] = []  # (node, namespace id, role)
    for i in range(nodes):
        spaces.append((i, f"h{i}", "host"))
        spaces.extend((i, f"p{i}-{j}", "pod") for j in range(draw(st.integers(0, 3))))
        if draw(st.booleans()):
            spaces.append((i, f"o{i}", "other"))
    names = {nid: draw(st.lists(st.sampled_from(POOLS[role]), unique=True, max_size=len(POOLS[role])))
             for _, nid, role in spaces}
    for i in range(nodes):  # most hosts have their uplink, most pods their eth0
        if "eth0" not in names[f"h{i}"] and draw(st.booleans()):
            names[f"h{i}"].insert(0, "eth0")
    refs = [(nid, dev) for nid, devs in names.items() for dev in devs] + [("gone", "eth0"), ("h0", "missing")]
    # veth pairs as the collector writes them: pod j's eth0 with veth<j> of its host
    peers: dict[tuple[str, str], tuple[str, str] | None] = {}
    for i, nid, role in spaces:
        j = nid.rsplit("-", 1)[-1]
        if role == "pod" and "eth0" in names[nid] and f"veth{j}" in names[f"h{i}"]:
            peers[(nid, "eth0")], peers[(f"h{i}", f"veth{j}")] = (f"h{i}", f"veth{j}"), (nid, "eth0")
    for _ in range(draw(st.integers(0, 3))):  # a few broken: renamed, gone, self, a third device
        if refs:
            peers[draw(st.sampled_from(refs))] = draw(st.one_of(st.none(), st.sampled_from(refs)))
    built = []
    for i in range(nodes):
        namespaces = []
        for _, nid, role in (s for s in spaces if s[0] == i):
            links = [Link(ifindex=1, name="lo", kind="loopback", mtu=65536, admin_up=True, oper_state="UNKNOWN")]
            addresses, routes, fdb = [], [], []
            for k, dev in enumerate(names[nid]):
                kind = KINDS.get(dev, "veth")
                peer = peers.get((nid, dev))
                remote = _host_ip(draw(st.integers(0, nodes))) if kind in ("vxlan", "wireguard") else None
                links.append(Link(
                    ifindex=k + 2, name=dev, kind=kind, mtu=draw(st.sampled_from((1500, 1450))), admin_up=True,
                    oper_state="UP", cni=draw(st.sampled_from((None, "flannel"))),
                    master=draw(st.sampled_from((None, "cni0", "br9"))) if dev.startswith("veth") else None,
                    peer=None if peer is None else PeerRef(namespace=peer[0], ifname=peer[1], ifindex=2),
                    vxlan=Vxlan(vni=1, remote=remote) if kind == "vxlan" else None,
                    info={"remote": remote} if kind == "wireguard" and remote else {}))
                if kind == "vxlan" and draw(st.booleans()):
                    fdb.append(FdbEntry(mac="00:00:00:00:00:00", dev=dev, dst=_host_ip(draw(st.integers(0, nodes)))))
            if role == "host":
                addresses.append(Address(dev="eth0", family=4, address=_host_ip(i), prefixlen=24))
                addresses.append(Address(dev="cni0", family=4, address=f"10.{i}.0.1", prefixlen=24))
                routes.append(Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", dev="eth0",
                                    gateway=draw(st.sampled_from(("192.168.7.1", _host_ip(0))))))
                if draw(st.booleans()):  # a route learnt over BGP from another node
                    routes.append(Route(family=4, table="main", type="unicast", dst="10.99.0.0/24", dev="eth0",
                                        gateway=_host_ip(draw(st.integers(0, nodes))), protocol="bird"))
            elif role == "pod":
                j = int(nid.rsplit("-", 1)[-1])
                addresses.append(Address(dev="eth0", family=4, address=f"10.{i}.0.{2 + j}", prefixlen=24))
                if draw(st.booleans()):
                    addresses.append(Address(dev="eth0", family=6, address="fe80::1", prefixlen=64, scope="link"))
                if draw(st.booleans()):
                    addresses.append(Address(dev="net1", family=4, address=f"10.{i}.1.{2 + j}", prefixlen=24))
                routes.append(Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", dev="eth0",
                                    gateway=f"10.{i}.0.1"))
            pod = draw(st.sampled_from((None, f"app-{nid}"))) if role == "pod" else None
            namespaces.append(Namespace(id=nid, role=role, name=draw(st.sampled_from((None, f"nb-{nid}"))), pod=pod,
                                        links=tuple(links), addresses=tuple(addresses), routes=tuple(routes),
                                        fdb=tuple(fdb)))
        built.append(Node(name=f"n{i}", namespaces=tuple(namespaces), pod_cidrs=(f"10.{i}.0.0/24",)))
    if draw(st.booleans()):  # a lab's LAN switch: a network node instead of the LAN and router boxes
        built.append(Node(name="lan", role="network", namespaces=(Namespace(id="lan", role="other", links=(
            Link(ifindex=2, name="br0", kind="bridge", mtu=1500, admin_up=True, oper_state="UP"),)),)))
    places = [f"node n{i}" for i in range(nodes)] + [f"node n{i} / netns {nid}" for i, nid, _ in spaces] + [
        f"node n{i} / netns {nid} / dev {dev}" for i, nid, _ in spaces for dev in names[nid]]
    findings = [Finding(rule="NB304", severity=Severity.WARNING, title="ip forwarding is off", message="m", fix="f",
                        location=Origin(object=where), doc="")
                for where in draw(st.lists(st.sampled_from(places), max_size=3))]
    return Snapshot(created="", source="generated", nodes=tuple(built)), findings


@settings(max_examples=300, deadline=None)
@given(snapshots())
def test_tree_is_the_graphs_tree(case: tuple[Snapshot, list[Finding]]) -> None:
    snap, findings = case
    graph = topology(snap, findings)
    assert tree_text(snap, findings) == render_map_text(graph)
    for node in snap.nodes:
        assert tree_text(snap, findings, node.name) == render_map_text(graph, node.name)


@given(st.ip_addresses(v=4), st.integers(0, 32))
def test_subnet_is_ipaddress_network(address: ipaddress.IPv4Address, prefixlen: int) -> None:
    assert subnet(str(address), prefixlen) == str(ipaddress.ip_interface(f"{address}/{prefixlen}").network)


@given(st.ip_addresses(v=6), st.integers(0, 128))
def test_subnet_of_ipv6_is_ipaddress_network(address: ipaddress.IPv6Address, prefixlen: int) -> None:
    assert subnet(str(address), prefixlen) == str(ipaddress.ip_interface(f"{address}/{prefixlen}").network)


@given(st.one_of(st.text(alphabet="0123456789.:xaf ", max_size=18),
                 st.lists(st.integers(0, 999).map(str) | st.sampled_from(("00", "010", "٣", "")), min_size=3,
                          max_size=5).map(".".join)),
       st.integers(-1, 130))
def test_subnet_of_any_text_is_what_ipaddress_says(text: str, prefixlen: int) -> None:
    """Leading zeros, octets past 255, other digits, wrong lengths: the same answer or the same refusal."""
    try:
        expected = str(ipaddress.ip_interface(f"{text}/{prefixlen}").network)
    except ValueError:
        with pytest.raises(ValueError):
            subnet(text, prefixlen)
        return
    assert subnet(text, prefixlen) == expected
