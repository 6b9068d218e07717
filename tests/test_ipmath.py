"""CIDR arithmetic, property-tested against brute-force enumeration of addresses on small prefixes."""

from __future__ import annotations

import ipaddress
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.ipmath import (
    IPNetwork,
    contains,
    free_range,
    node_blocks,
    overlapping_earlier,
    overlapping_pairs,
    overlaps,
    prefix_for_blocks,
    suggest_range,
)

# Small worlds where every address can be enumerated: 203.0.113.0/24 and 2001:db8::/120.
BASE = {4: (int(ipaddress.IPv4Address("203.0.113.0")), 24), 6: (int(ipaddress.IPv6Address("2001:db8::")), 120)}


@st.composite
def small_net(draw: st.DrawFn, version: int | None = None) -> IPNetwork:
    v = version if version is not None else draw(st.sampled_from([4, 6]))
    base, base_len = BASE[v]
    width = 32 if v == 4 else 128
    prefix = draw(st.integers(base_len, width))
    offset = draw(st.integers(0, 2 ** (width - base_len) - 1))
    return ipaddress.ip_network((base + offset, prefix), strict=False)


def addresses(net: IPNetwork) -> set[int]:
    first = int(net.network_address)
    return set(range(first, first + net.num_addresses))


@given(small_net(), st.integers(0, 8))
def test_node_blocks_matches_enumeration(net: IPNetwork, extra: int) -> None:
    width = 32 if net.version == 4 else 128
    mask = min(net.prefixlen + extra, width)
    blocks = {ipaddress.ip_network((a, mask), strict=False) for a in addresses(net)}
    assert node_blocks(net, mask) == len(blocks)
    assert all(contains(net, b) for b in blocks)


@given(small_net())
def test_node_mask_shorter_than_range_gives_no_block(net: IPNetwork) -> None:
    if net.prefixlen > 0:
        assert node_blocks(net, net.prefixlen - 1) == 0


@given(st.integers(1, 300), st.integers(16, 32))
def test_prefix_for_blocks_is_the_longest_that_fits(count: int, mask: int) -> None:
    prefix = prefix_for_blocks(count, mask)
    assert prefix is not None
    assert 2 ** (mask - prefix) >= count
    assert 2 ** (mask - prefix - 1) < count or prefix == mask


@given(small_net(), small_net())
def test_overlap_and_containment_match_enumeration(a: IPNetwork, b: IPNetwork) -> None:
    sa, sb = (addresses(a), addresses(b)) if a.version == b.version else (addresses(a), set())
    assert overlaps(a, b) == bool(sa & sb)
    assert overlaps(a, b) == overlaps(b, a)
    assert contains(a, b) == (a.version == b.version and sb <= sa)


@settings(max_examples=200)
@given(st.lists(small_net(), max_size=25))
def test_overlapping_pairs_equal_brute_force(nets: list[IPNetwork]) -> None:
    items = list(enumerate(nets))
    expected = {frozenset((i, j)) for (i, a), (j, b) in itertools.combinations(items, 2)
                if a.version == b.version and addresses(a) & addresses(b)}
    found = overlapping_pairs(items)
    assert len(found) == len(expected), "each overlapping pair is reported exactly once"
    assert {frozenset(p) for p in found} == expected


@settings(max_examples=200)
@given(st.sampled_from([4, 6]), st.data())
def test_free_range_is_free_aligned_and_first(version: int, data: st.DataObject) -> None:
    base, base_len = BASE[version]
    width = 32 if version == 4 else 128
    world = ipaddress.ip_network((base, base_len))
    avoid = data.draw(st.lists(small_net(version), max_size=6))
    prefix = data.draw(st.integers(base_len, width))
    got = free_range(prefix, version, avoid, within=[world])
    blocked = set().union(*(addresses(n) for n in avoid)) if avoid else set()
    candidates = [ipaddress.ip_network((a, prefix)) for a in range(base, base + world.num_addresses,
                                                                  2 ** (width - prefix))]
    free = [c for c in candidates if not addresses(c) & blocked]
    assert got == (free[0] if free else None)


def test_suggest_range_grows_the_users_own_range() -> None:
    pods = ipaddress.ip_network("172.16.0.0/24")
    lan = ipaddress.ip_network("192.168.1.0/24")
    assert suggest_range(16, 4, [lan], prefer=[pods]) == ipaddress.ip_network("172.16.0.0/16")


def test_suggest_range_moves_off_an_obstacle() -> None:
    lan = ipaddress.ip_network("192.168.0.0/16")
    vpn = ipaddress.ip_network("172.16.0.0/16")
    got = suggest_range(16, 4, [lan, vpn], prefer=[ipaddress.ip_network("192.168.0.0/16")])
    assert got == ipaddress.ip_network("172.17.0.0/16")
    got6 = suggest_range(56, 6, [ipaddress.ip_network("fd00::/56")])
    assert got6 == ipaddress.ip_network("fd00:0:0:100::/56")


def test_suggest_range_does_not_grow_into_public_space() -> None:
    got = suggest_range(12, 4, [], prefer=[ipaddress.ip_network("192.168.0.0/24")])
    assert got == ipaddress.ip_network("172.16.0.0/12")


@settings(max_examples=200)
@given(st.lists(small_net(), max_size=25))
def test_overlapping_earlier_names_each_overlapping_item_once(nets: list[IPNetwork]) -> None:
    items = list(enumerate(nets))
    in_pairs = {j for pair in overlapping_pairs(items) for j in pair[1:]}
    found = overlapping_earlier(items)
    assert sorted(b for _a, b in found) == sorted(in_pairs), "every later item of some pair, exactly once"
    assert all(nets[a].version == nets[b].version and addresses(nets[a]) & addresses(nets[b]) for a, b in found)
