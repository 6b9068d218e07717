"""Every disposition, on hand-built snapshots shaped like the lab (tests/dataplane/build.py)."""

from __future__ import annotations

import msgspec
import pytest
from tests.dataplane.build import cluster, edit_ns, node_ip, ns_of, pod_ip

from netblame.dataplane import Dataplane, Disposition, Flow, StepKind, TraceResult, trace
from netblame.model.snapshot import FdbEntry, Link, Neighbour, Nexthop, PolicyRule, Route, Snapshot, Vxlan

D = Disposition


def run(snap: Snapshot, start: str = "n1-p1", dst: str | None = None, **kw: object) -> TraceResult:
    return trace(snap, Flow(start=start, dst=dst or pod_ip(snap, "n2-p1"), **kw))  # type: ignore[arg-type]


def routes_of(snap: Snapshot, ns_id: str) -> list[Route]:
    return list(ns_of(snap, ns_id).routes)


def set_routes(snap: Snapshot, ns_id: str, keep: object = None, add: tuple[Route, ...] = ()) -> Snapshot:
    routes = [r for r in ns_of(snap, ns_id).routes if keep is None or keep(r)]  # type: ignore[operator]
    return edit_ns(snap, ns_id, routes=tuple(routes) + add)


@pytest.mark.parametrize("style", ["vxlan", "host-routes"])
def test_delivered_across_nodes_with_the_device_path(style: str) -> None:
    snap = cluster(style)
    result = run(snap)
    assert result.disposition is D.DELIVERED
    path = result.worst.device_path()
    expected = [("n1-p1", "eth0"), ("n1", "veth1"), ("n1", "cni0")]
    expected += [("n1", "flannel.1")] if style == "vxlan" else []
    expected += [("n1", "eth0"), ("lan", "p-n1"), ("lan", "p-n2"), ("n2", "eth0")]
    expected += [("n2", "flannel.1")] if style == "vxlan" else []
    expected += [("n2", "cni0"), ("n2", "veth1"), ("n2-p1", "eth0")]
    assert list(path) == expected
    assert result.worst.src == pod_ip(snap, "n1-p1")


def test_vxlan_hop_shows_the_outer_header() -> None:
    snap = cluster("vxlan")
    hop = next(h for h in run(snap).worst.hops if h.namespace == "lan")
    (header,) = hop.encap
    assert (header.kind, header.src, header.dst, header.dport, header.vni) == (
        "vxlan", node_ip(1), node_ip(2), 8472, 1)


def test_local_delivery_in_the_same_namespace_uses_lo() -> None:
    snap = cluster()
    result = run(snap, dst=pod_ip(snap, "n1-p1"))
    assert result.disposition is D.DELIVERED
    assert result.worst.device_path() == (("n1-p1", "lo"),)


def test_pod_to_pod_on_one_node_crosses_the_bridge() -> None:
    snap = cluster()
    result = run(snap, dst=pod_ip(snap, "n1-p2"))
    assert result.disposition is D.DELIVERED
    # Bridged, not routed: the bridge device itself counts nothing.
    assert result.worst.device_path() == (("n1-p1", "eth0"), ("n1", "veth1"), ("n1", "veth2"), ("n1-p2", "eth0"))


def test_no_route() -> None:
    snap = set_routes(cluster("host-routes"), "n1", keep=lambda r: r.dst != "10.244.1.0/24")
    result = run(snap)
    assert result.disposition is D.NO_ROUTE
    assert result.worst.last is not None and result.worst.last.namespace == "n1"


@pytest.mark.parametrize(("kind", "want"), [("blackhole", D.BLACKHOLE), ("unreachable", D.UNREACHABLE),
                                            ("prohibit", D.PROHIBITED)])
def test_terminal_route_types(kind: str, want: Disposition) -> None:
    snap = set_routes(cluster("host-routes"), "n1", add=(Route(family=4, table="main", type=kind,
                                                               dst="10.244.1.0/25"),))
    assert run(snap).disposition is want
    # The same type as a policy rule, ahead of the main table.
    snap2 = edit_ns(cluster("host-routes"), "n1", rules=(
        PolicyRule(family=4, priority=0, action="lookup", table="local"),
        PolicyRule(family=4, priority=100, action=kind, dst="10.244.1.0/24"),
        PolicyRule(family=4, priority=32766, action="lookup", table="main")))
    assert run(snap2).disposition is want


def test_locally_generated_no_route_ends_at_the_source() -> None:
    snap = set_routes(cluster(), "n1-p1", keep=lambda r: r.dst != "0.0.0.0/0")
    result = run(snap)
    assert result.disposition is D.NO_ROUTE and len(result.worst.hops) == 1


def test_policy_rule_selects_another_table() -> None:
    snap = cluster("host-routes")
    snap = set_routes(snap, "n1", keep=lambda r: r.dst != "10.244.1.0/24",
                      add=(Route(family=4, table="100", type="unicast", dst="10.244.1.0/24", gateway=node_ip(2),
                                 dev="eth0"),))
    assert run(snap).disposition is D.NO_ROUTE
    snap = edit_ns(snap, "n1", rules=(PolicyRule(family=4, priority=0, action="lookup", table="local"),
                                      PolicyRule(family=4, priority=50, action="lookup", table="100",
                                                 src="10.244.0.0/24"),
                                      PolicyRule(family=4, priority=32766, action="lookup", table="main")))
    result = run(snap)
    assert result.disposition is D.DELIVERED
    route_step = next(s for s in result.worst.hops[1].steps if s.kind is StepKind.ROUTE)
    assert dict(route_step.facts)["table"] == "100"


def test_neighbour_failed_when_nobody_answers_arp() -> None:
    snap = set_routes(cluster("host-routes"), "n1", keep=lambda r: r.dst != "10.244.1.0/24",
                      add=(Route(family=4, table="main", type="unicast", dst="10.244.1.0/24",
                                 gateway="192.168.50.99", dev="eth0"),))
    result = run(snap)
    assert result.disposition is D.NEIGHBOR_FAILED
    assert "192.168.50.99" in result.worst.hops[-1].steps[-1].detail


def test_neighbour_failed_at_the_sender_reports_over_lo() -> None:
    result = run(cluster(), dst="10.244.0.250")
    assert result.disposition is D.NEIGHBOR_FAILED
    assert result.worst.device_path() == (("n1-p1", "lo"),)


def test_stale_neighbour_mac_is_flooded_and_lost() -> None:
    snap = cluster("host-routes", nodes=3)
    stale = Neighbour(dst=node_ip(2), dev="eth0", lladdr="02:de:ad:00:00:01", state=("STALE",))
    result = run(edit_ns(snap, "n1", neighbours=(stale,)))
    assert result.disposition is D.NO_FDB
    path = set(result.worst.device_path())
    assert {("lan", "p-n2"), ("lan", "p-n3"), ("n2", "eth0"), ("n3", "eth0")} <= path
    assert ("lan", "p-n1") in path and ("n2", "cni0") not in path


def test_forwarding_disabled() -> None:
    snap = cluster()
    snap = edit_ns(snap, "n1", sysctls={"net.ipv4.ip_forward": "0", "net.ipv4.conf.cni0.forwarding": "0"})
    result = run(snap)
    assert result.disposition is D.FORWARDING_DISABLED
    assert [h.namespace for h in result.worst.hops] == ["n1-p1", "n1"]


def _asymmetric(mode: str) -> Snapshot:
    """n2 answers n1's pods through a second uplink: the request arrives on eth0."""
    snap = cluster("host-routes")
    n2 = ns_of(snap, "n2")
    extra = Link(ifindex=9, name="eth1", kind="device", mtu=1500, admin_up=True, oper_state="UP",
                 mac="02:09:09:09:09:09")
    routes = [r for r in n2.routes if r.dst != "10.244.0.0/24"]
    routes.append(Route(family=4, table="main", type="unicast", dst="10.244.0.0/24", gateway="192.168.60.1",
                        dev="eth1", onlink=True))
    return edit_ns(snap, "n2", links=(*n2.links, extra), routes=tuple(routes),
                   sysctls={**n2.sysctls, "net.ipv4.conf.all.rp_filter": mode})


def test_rp_filter_strict_drops_an_asymmetric_path_and_loose_does_not() -> None:
    result = run(_asymmetric("1"))
    assert result.disposition is D.RP_FILTER
    assert result.worst.last is not None and result.worst.last.namespace == "n2"
    assert run(_asymmetric("2")).disposition is D.DELIVERED
    assert run(_asymmetric("0")).disposition is D.DELIVERED


def test_mtu_with_and_without_df() -> None:
    snap = cluster("vxlan")
    big = run(snap, size=1500, df=True)
    assert big.disposition is D.MTU_EXCEEDED
    step = big.worst.hops[-1].steps[-1]
    assert step.kind is StepKind.MTU and "1450" in step.detail
    assert run(snap, size=1500, df=False).disposition is D.DELIVERED
    assert run(snap, size=1600, df=True).disposition is D.MTU_EXCEEDED  # pod eth0 MTU 1500: at the source


def test_underlay_mtu_too_small_for_the_encapsulated_packet() -> None:
    snap = cluster("vxlan")
    n1 = ns_of(snap, "n1")
    links = tuple(msgspec.structs.replace(lk, mtu=1400) if lk.name == "eth0" else lk for lk in n1.links)
    snap = edit_ns(snap, "n1", links=links)
    # A forwarded pod packet: the outer packet is fragmented, whatever the inner DF bit says.
    forwarded = run(snap, size=1400, df=True)
    assert forwarded.disposition is D.DELIVERED
    assert any(s.kind is StepKind.MTU and "fragmented" in s.detail for h in forwarded.worst.hops for s in h.steps)
    # The node itself sending with DF: this packet goes (fragmented outside), its next ones fail with EMSGSIZE.
    local = trace(snap, Flow(start="n1", dst=pod_ip(snap, "n2-p1"), size=1400, df=True))
    assert local.disposition is D.DELIVERED
    assert any(s.kind is StepKind.MTU and "EMSGSIZE" in s.detail for s in local.worst.hops[0].steps)
    assert trace(snap, Flow(start="n1", dst=pod_ip(snap, "n2-p1"), size=1400, df=False)).disposition is D.DELIVERED


def test_veth_drops_frames_bigger_than_the_peer_mtu() -> None:
    snap = cluster("host-routes")
    n2 = ns_of(snap, "n2")
    links = tuple(msgspec.structs.replace(lk, mtu=1400) if lk.name == "eth0" else lk for lk in n2.links)
    snap = edit_ns(snap, "n2", links=links)
    result = run(snap, size=1420, df=False)
    assert result.disposition is D.MTU_EXCEEDED
    assert result.worst.last is not None and result.worst.last.namespace == "lan"
    assert ("lan", "p-n2") not in result.worst.device_path()
    assert run(snap, size=1404, df=False).disposition is D.DELIVERED  # MTU + 4 still fits


def test_no_fdb_on_the_vxlan_device() -> None:
    snap = edit_ns(cluster("vxlan"), "n1", fdb=())
    result = run(snap)
    assert result.disposition is D.NO_FDB


def test_wrong_vxlan_fdb_delivers_to_the_wrong_node() -> None:
    snap = cluster("vxlan", nodes=3)
    n1 = ns_of(snap, "n1")
    fdb = tuple(msgspec.structs.replace(e, dst=node_ip(3)) if e.dst == node_ip(2) else e for e in n1.fdb)
    result = run(edit_ns(snap, "n1", fdb=fdb))
    assert result.disposition is D.NOT_FOR_THIS_HOST
    assert result.worst.last is not None and result.worst.last.namespace == "n3"


def test_no_tunnel_endpoint_for_the_vni() -> None:
    snap = cluster("vxlan")
    n2 = ns_of(snap, "n2")
    links = tuple(msgspec.structs.replace(lk, vxlan=Vxlan(vni=2, port=8472)) if lk.kind == "vxlan" else lk
                  for lk in n2.links)
    result = run(edit_ns(snap, "n2", links=links))
    assert result.disposition is D.NO_TUNNEL_ENDPOINT


def test_loop_between_two_nodes() -> None:
    snap = cluster("host-routes")
    snap = set_routes(snap, "n2", keep=lambda r: r.dst != "10.244.1.0/24",
                      add=(Route(family=4, table="main", type="unicast", dst="10.244.1.0/24", gateway=node_ip(1),
                                 dev="eth0"),))
    result = run(snap)
    assert result.disposition is D.LOOP


def test_ttl_exceeded() -> None:
    result = run(cluster("host-routes"), ttl=2)
    assert result.disposition is D.TTL_EXCEEDED
    assert result.worst.last is not None and result.worst.last.namespace == "n2"


def test_device_down() -> None:
    snap = cluster()
    n1 = ns_of(snap, "n1")
    links = tuple(msgspec.structs.replace(lk, admin_up=False, oper_state="DOWN") if lk.name == "eth0" else lk
                  for lk in n1.links)
    assert run(edit_ns(snap, "n1", links=links)).disposition is D.DEVICE_DOWN


def test_wireguard_is_unsimulated_and_said_so() -> None:
    snap = cluster("host-routes")
    n1 = ns_of(snap, "n1")
    wg = Link(ifindex=20, name="wg0", kind="wireguard", mtu=1420, admin_up=True, oper_state="UNKNOWN")
    snap = edit_ns(snap, "n1", links=(*n1.links, wg))
    snap = set_routes(snap, "n1", keep=lambda r: r.dst != "10.244.1.0/24",
                      add=(Route(family=4, table="main", type="unicast", dst="10.244.1.0/24", dev="wg0"),))
    result = run(snap)
    assert result.disposition is D.UNSIMULATED
    warned = [s.detail for s in result.worst.hops[-1].steps if s.kind is StepKind.UNSIMULATED]
    assert any("WireGuard" in w for w in warned)


def test_ebpf_devices_are_flagged_at_the_hop() -> None:
    snap = cluster("host-routes")
    n2 = ns_of(snap, "n2")
    links = tuple(msgspec.structs.replace(lk, info={"xdp": {"mode": 1, "prog": {"id": 7}}}) if lk.name == "eth0"
                  else lk for lk in n2.links)
    result = run(edit_ns(snap, "n2", links=links))
    assert result.disposition is D.DELIVERED
    hop = next(h for h in result.worst.hops if h.namespace == "n2")
    assert any(s.kind is StepKind.UNSIMULATED and "eBPF" in s.detail for s in hop.steps)


def test_ecmp_lists_every_branch_and_reports_the_worst() -> None:
    snap = set_routes(cluster("host-routes"), "n1", keep=lambda r: r.dst != "10.244.1.0/24",
                      add=(Route(family=4, table="main", type="unicast", dst="10.244.1.0/24", nexthops=(
                          Nexthop(gateway=node_ip(2), dev="eth0"), Nexthop(gateway="192.168.50.77", dev="eth0"))),))
    result = run(snap)
    assert sorted(t.disposition.value for t in result.traces) == ["DELIVERED", "NEIGHBOR_FAILED"]
    assert result.disposition is D.NEIGHBOR_FAILED


def _two_real_nodes() -> Snapshot:
    """Two machines with physical NICs (no LAN namespace), host routes between them."""
    snap = cluster("host-routes")
    nodes = []
    for node in snap.nodes:
        if node.role == "network":
            continue
        spaces = []
        for ns in node.namespaces:
            if ns.role != "host":
                spaces.append(ns)
                continue
            links = tuple(msgspec.structs.replace(lk, kind="device", peer=None) if lk.name == "eth0" else lk
                          for lk in ns.links)
            spaces.append(msgspec.structs.replace(ns, links=links, routes=(*ns.routes, Route(
                family=4, table="main", type="unicast", dst="0.0.0.0/0", gateway="192.168.50.1", dev="eth0"))))
        nodes.append(msgspec.structs.replace(node, namespaces=tuple(spaces)))
    return msgspec.structs.replace(snap, nodes=tuple(nodes))


def test_underlay_between_real_nodes_by_node_address() -> None:
    snap = _two_real_nodes()
    result = run(snap)
    assert result.disposition is D.DELIVERED
    assert any(s.kind is StepKind.UNDERLAY for h in result.worst.hops for s in h.steps)


def test_exits_network_beyond_the_snapshot() -> None:
    result = run(_two_real_nodes(), dst="8.8.8.8")
    assert result.disposition is D.EXITS_NETWORK


def test_source_selection_prefers_route_src() -> None:
    snap = set_routes(cluster("host-routes"), "n1", keep=lambda r: r.dst != "10.244.1.0/24",
                      add=(Route(family=4, table="main", type="unicast", dst="10.244.1.0/24", gateway=node_ip(2),
                                 dev="eth0", prefsrc="10.244.0.1"),))
    result = trace(snap, Flow(start="n1", dst=pod_ip(snap, "n2-p1")))
    assert result.worst.src == "10.244.0.1"
    result = trace(cluster("host-routes"), Flow(start="n1", dst=pod_ip(snap, "n2-p1")))
    assert result.worst.src == node_ip(1)


def test_flood_entry_on_vxlan_reaches_the_right_node() -> None:
    snap = cluster("vxlan", nodes=3)
    flood = tuple(FdbEntry(mac="00:00:00:00:00:00", dev="flannel.1", dst=node_ip(k), flags=("self",))
                  for k in (2, 3))
    assert run(edit_ns(snap, "n1", fdb=flood)).disposition is D.DELIVERED


def test_dataplane_is_reusable_and_deterministic() -> None:
    snap = cluster("vxlan", nodes=3)
    dp = Dataplane(snap)
    first = trace(dp, Flow(start="n1-p1", dst=pod_ip(snap, "n3-p2")))
    second = trace(dp, Flow(start="n1-p1", dst=pod_ip(snap, "n3-p2")))
    assert first == second


def test_missing_peer_namespace_is_unsimulated() -> None:
    snap = cluster()
    nodes = tuple(msgspec.structs.replace(n, namespaces=tuple(ns for ns in n.namespaces if ns.id != "lan"))
                  for n in snap.nodes)
    result = run(msgspec.structs.replace(snap, nodes=nodes))
    assert result.disposition is D.UNSIMULATED


def test_every_disposition_is_covered_here() -> None:
    covered = {D.DELIVERED, D.NO_ROUTE, D.BLACKHOLE, D.UNREACHABLE, D.PROHIBITED, D.NEIGHBOR_FAILED,
               D.FORWARDING_DISABLED, D.RP_FILTER, D.MTU_EXCEEDED, D.NO_FDB, D.NOT_FOR_THIS_HOST,
               D.NO_TUNNEL_ENDPOINT, D.LOOP, D.TTL_EXCEEDED, D.DEVICE_DOWN, D.UNSIMULATED, D.EXITS_NETWORK,
               D.FILTERED,  # tests/dataplane/test_netfilter_trace.py
               D.REPLY_MISMATCH}  # tests/dataplane/test_reply.py
    assert covered == set(D)

