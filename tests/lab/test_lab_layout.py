"""The lab's address plan (pure): per-node ranges, LAN addresses, and one-line errors for bad options."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netblame.errors import InputError
from netblame.lab.layout import LabSpec, lan_router_ip, lan_spare_ip, make_layout


@given(base=st.integers(0, 2**32 - 1), prefixlen=st.integers(8, 28), extra=st.integers(0, 6),
       nodes=st.integers(1, 60))
def test_node_ranges_are_the_first_ranges_of_the_pod_cidr(base: int, prefixlen: int, extra: int, nodes: int) -> None:
    pod_cidr = ipaddress.IPv4Network((base, prefixlen), strict=False)
    if pod_cidr.overlaps(ipaddress.IPv4Network("198.18.0.0/24")) or pod_cidr.overlaps(
            ipaddress.IPv4Network("192.0.2.0/24")):
        return
    mask = min(prefixlen + extra, 30)
    plan = make_layout(LabSpec(name="lt", nodes=nodes, pods_per_node=1, pod_cidr=str(pod_cidr), node_mask=mask))
    ranges = [ipaddress.IPv4Network(n.pod_cidr) for n in plan.nodes if n.pod_cidr]
    expected = list(pod_cidr.subnets(new_prefix=mask))[:nodes] if mask - prefixlen < 8 else None
    if expected is not None:
        assert ranges == expected
    assert len(ranges) == min(nodes, 2 ** (mask - prefixlen))
    assert all(r.subnet_of(pod_cidr) and r.prefixlen == mask for r in ranges)
    assert len(set(ranges)) == len(ranges)
    # nodes without a range come last and have no pods
    assert [n.pod_cidr is not None for n in plan.nodes] == [True] * len(ranges) + [False] * (nodes - len(ranges))
    assert all(not n.pods for n in plan.nodes if n.pod_cidr is None)


@given(nodes=st.integers(1, 60), lan_len=st.integers(16, 24))
def test_lan_addresses_are_distinct_and_inside_the_lan(nodes: int, lan_len: int) -> None:
    lan = f"198.18.0.0/{lan_len}"
    plan = make_layout(LabSpec(name="lt", nodes=nodes, lan_cidr=lan))
    addresses = [n.uplink_ip for n in plan.nodes] + [plan.router_ip, plan.spare_ip]
    assert len(set(addresses)) == len(addresses)
    network = ipaddress.IPv4Network(lan)
    assert all(ipaddress.IPv4Address(a) in network and a not in (str(network.network_address),
                                                                  str(network.broadcast_address)) for a in addresses)
    assert (plan.router_ip, plan.spare_ip) == (lan_router_ip(lan), lan_spare_ip(lan))


def test_a_full_node_range_is_accepted() -> None:
    assert len(make_layout(LabSpec(name="lt", pods_per_node=253)).nodes[0].pods) == 253  # + gateway = 254 hosts


def test_names_follow_the_convention() -> None:
    plan = make_layout(LabSpec(name="demo", nodes=2, pods_per_node=2))
    assert plan.lan_namespace == "nb-demo-lan" and plan.router_namespace == "nb-demo-rtr"
    assert [(n.name, n.namespace) for n in plan.nodes] == [("n1", "nb-demo-n1"), ("n2", "nb-demo-n2")]
    assert [p.namespace for p in plan.nodes[1].pods] == ["nb-demo-n2-p1", "nb-demo-n2-p2"]
    assert plan.pod_mtu == 1450 and make_layout(LabSpec(name="x", style="routed")).pod_mtu == 1500


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": "Demo"}, "--name: expected 1-12 lower-case"),
    ({"name": "nb-x"}, "--name"),
    ({"name": "a" * 13}, "--name"),
    ({"pod_cidr": "10.244.0.0"}, "--pod-cidr: expected an IPv4 CIDR"),
    ({"pod_cidr": "fd00::/48"}, "--pod-cidr: expected an IPv4 CIDR"),
    ({"node_mask": 15}, "--node-mask: expected 16"),
    ({"node_mask": 31}, "--node-mask"),
    ({"pods_per_node": 254}, "--pods-per-node: a /24 node range holds at most 253"),
    ({"nodes": 0}, "--nodes"),
    ({"lan_cidr": "10.244.8.0/24"}, "--pod-cidr: 10.244.0.0/16 overlaps --lan-cidr"),
    ({"lan_cidr": "198.18.0.0/29", "nodes": 5}, "--lan-cidr: 198.18.0.0/29 has room for 6 hosts"),
    ({"style": "geneve"}, "--style"),
    ({"route_reflector": True}, "--route-reflector: only with --style routed, got --style vxlan"),
])
def test_bad_options_fail_with_one_line(changes: dict[str, object], message: str) -> None:
    spec = LabSpec(**{"name": "lt", **changes})  # type: ignore[arg-type]
    with pytest.raises(InputError, match=message.replace("(", r"\(")) as info:
        make_layout(spec)
    assert "\n" not in str(info.value)
