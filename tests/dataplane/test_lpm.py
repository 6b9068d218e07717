"""LPM against a brute-force reference (every prefix checked with ipaddress)."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.dataplane.lpm import Lpm, in_prefix, parse_prefix


def _prefixes(bits: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(st.tuples(st.integers(0, 2**bits - 1), st.integers(0, bits)), max_size=40)


def _reference(entries: list[tuple[int, int, int]], version: int, addr: int) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    cls = ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network
    ip = ipaddress.ip_address(addr) if version == 4 else ipaddress.IPv6Address(addr)
    for value, (net, plen) in enumerate((n, p) for n, p, _ in entries):
        network = cls((net, plen), strict=False)
        if ip in network and (best is None or plen >= best[0]):
            best = (plen, value)
    return best


@settings(max_examples=300)
@given(_prefixes(32), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20))
def test_ipv4_lookup_matches_brute_force(prefixes: list[tuple[int, int]], queries: list[int]) -> None:
    table: Lpm[int] = Lpm(4)
    entries = []
    for value, (net, plen) in enumerate(prefixes):
        table.insert(net, plen, value)
        entries.append((net, plen, value))
    # Probe the prefixes' own addresses too, so hits are common, not only misses.
    for addr in queries + [n for n, _ in prefixes]:
        assert table.lookup(addr) == _reference(entries, 4, addr)


@settings(max_examples=150)
@given(_prefixes(128), st.lists(st.integers(0, 2**128 - 1), min_size=1, max_size=10))
def test_ipv6_lookup_matches_brute_force(prefixes: list[tuple[int, int]], queries: list[int]) -> None:
    table: Lpm[int] = Lpm(6)
    entries = []
    for value, (net, plen) in enumerate(prefixes):
        table.insert(net, plen, value)
        entries.append((net, plen, value))
    for addr in queries + [n for n, _ in prefixes]:
        assert table.lookup(addr) == _reference(entries, 6, addr)


@given(_prefixes(32), st.integers(0, 2**32 - 1))
def test_matches_lists_every_containing_prefix_longest_first(prefixes: list[tuple[int, int]], addr: int) -> None:
    table: Lpm[tuple[int, int]] = Lpm(4)
    for net, plen in prefixes:
        table.insert(net, plen, (net, plen))
    found = [plen for plen, _ in table.matches(addr)]
    expected = sorted({p for n, p in prefixes if in_prefix(4, addr, n, p)}, reverse=True)
    assert found == expected


def test_default_route_text_forms() -> None:
    assert parse_prefix("default") == (4, 0, 0)
    assert parse_prefix("::/0") == (6, 0, 0)
    assert parse_prefix("10.1.2.3/8") == (4, 10 << 24, 8)


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_parse_prefix_agrees_with_ipaddress_v4(addr: int, plen: int) -> None:
    text = f"{ipaddress.IPv4Address(addr)}/{plen}"
    net = ipaddress.ip_network(text, strict=False)
    assert parse_prefix(text) == (4, int(net.network_address), plen)


@given(st.integers(0, 2**128 - 1), st.integers(0, 128))
def test_parse_prefix_agrees_with_ipaddress_v6(addr: int, plen: int) -> None:
    text = f"{ipaddress.IPv6Address(addr)}/{plen}"
    net = ipaddress.ip_network(text, strict=False)
    assert parse_prefix(text) == (6, int(net.network_address), plen)
