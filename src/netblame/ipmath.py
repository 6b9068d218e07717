"""CIDR arithmetic for address planning: node-block capacity, overlaps, containment, free ranges.

Pure functions over :mod:`ipaddress` networks, IPv4 and IPv6 alike (a function given networks of
both families treats each family on its own). Nothing here knows about Kubernetes; the rules in
:mod:`netblame.checks.cluster` give the numbers their meaning.

Ranges are handled as integer intervals ``[first, last]`` so that overlap detection over many
ranges is a sort and one sweep, never a comparison of every pair.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
T = TypeVar("T")

# The private ranges a suggested range is taken from when the user's own choice does not work:
# RFC 1918 for IPv4 (172.16.0.0/12 first: home LANs mostly use 192.168.0.0/16 and VPNs 10.0.0.0/8)
# and the RFC 4193 unique-local range for IPv6.
PRIVATE_V4: tuple[IPNetwork, ...] = (
    ipaddress.IPv4Network("172.16.0.0/12"),
    ipaddress.IPv4Network("10.0.0.0/8"),
    ipaddress.IPv4Network("192.168.0.0/16"),
)
PRIVATE_V6: tuple[IPNetwork, ...] = (ipaddress.IPv6Network("fd00::/8"),)


def private(version: int) -> tuple[IPNetwork, ...]:
    """The private ranges of an IP version."""
    return PRIVATE_V4 if version == 4 else PRIVATE_V6


def bits(version: int) -> int:
    """Address width of an IP version: 32 or 128."""
    return 32 if version == 4 else 128


def span(net: IPNetwork) -> tuple[int, int]:
    """The first and last address of ``net`` as integers (integer arithmetic only: this runs once per
    range in every sweep, and ``num_addresses`` recomputes the broadcast address on each call)."""
    first = int(net.network_address)
    return first, first + (1 << (net.max_prefixlen - net.prefixlen)) - 1


def node_blocks(cluster: IPNetwork, node_mask: int) -> int:
    """How many per-node blocks of ``/node_mask`` a cluster range holds: ``2**(node_mask - prefix)``.

    This is kube-controller-manager's ``maxCIDRs = 1 << (subNetMaskSize - clusterMaskSize)``
    (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go). A node mask shorter than the range's prefix
    (a block larger than the range) yields 0, and so does a mask longer than the address width.
    """
    if node_mask < cluster.prefixlen or node_mask > bits(cluster.version):
        return 0
    return 1 << (node_mask - cluster.prefixlen)


def block_addresses(version: int, mask: int) -> int:
    """Addresses in one block of ``/mask``."""
    return 1 << (bits(version) - mask)


def host_local_reserved(version: int) -> tuple[str, ...]:
    """The addresses of a node block that host-local IPAM gives no pod: the network address, for IPv4
    the broadcast address, and the gateway (the bridge's own address) -- 3 for IPv4, 2 for IPv6, as the
    reference plugin shows (tests/unit/test_nb107_host_local.py runs it)."""
    return ("network", "broadcast", "gateway") if version == 4 else ("network", "gateway")


def host_local_usable(version: int, mask: int) -> int:
    """Pod addresses host-local hands out from one block of ``/mask``."""
    return max(block_addresses(version, mask) - len(host_local_reserved(version)), 0)


def prefix_for_blocks(count: int, node_mask: int) -> int | None:
    """The longest prefix whose range holds at least ``count`` blocks of ``/node_mask`` (None if none)."""
    need = max(count, 1)
    prefix = node_mask - (need - 1).bit_length()
    return prefix if prefix >= 0 else None


def overlaps(a: IPNetwork, b: IPNetwork) -> bool:
    """True when ``a`` and ``b`` share at least one address (always False across families)."""
    if a.version != b.version:
        return False
    a_first, a_last = span(a)
    b_first, b_last = span(b)
    return a_first <= b_last and b_first <= a_last


def contains(outer: IPNetwork, inner: IPNetwork) -> bool:
    """True when every address of ``inner`` lies in ``outer`` (always False across families)."""
    if outer.version != inner.version:
        return False
    o_first, o_last = span(outer)
    i_first, i_last = span(inner)
    return o_first <= i_first and i_last <= o_last


def overlapping_pairs(items: Iterable[tuple[T, IPNetwork]]) -> list[tuple[T, T]]:
    """Every pair of items whose networks overlap, in ``O(n log n + k)`` for ``k`` pairs.

    In each pair, the earlier item in (family, first address, size descending) order comes first:
    the containing range when the two differ. See :func:`overlapping_spans`.
    """
    return overlapping_spans((item, net.version, *span(net)) for item, net in items)


def overlapping_spans(items: Iterable[tuple[T, int, int, int]]) -> list[tuple[T, T]]:
    """:func:`overlapping_pairs` over ``(item, version, first, last)`` integer spans of CIDR ranges
    (a single address is ``first == last``), for callers that hold addresses rather than networks."""
    return [(open_item, item) for stack, item in _sweep(items) for _v, _last, open_item in stack]


def overlapping_earlier(items: Iterable[tuple[T, IPNetwork]]) -> list[tuple[T, T]]:
    """For every item that overlaps an item before it (in the order of :func:`overlapping_pairs`), one
    pair: the innermost such earlier item, then the item. ``O(n log n)`` whatever the overlaps, so a
    dump where thousands of nodes share one range yields one pair per node, not every pair."""
    return [(stack[-1][2], item) for stack, item in _sweep((i, n.version, *span(n)) for i, n in items) if stack]


def _sweep(items: Iterable[tuple[T, int, int, int]]) -> Iterator[tuple[list[tuple[int, int, T]], T]]:
    """Each item with the ``(version, last, item)`` entries before it that it overlaps, innermost
    last (the live stack: read it before asking for the next item).

    Items are sorted by (family, first address, size descending) and swept once. CIDR ranges either
    nest or are disjoint, so the ranges still open at a point form a chain of supernets: a stack
    whose depth is at most the address width. Each item overlaps exactly the ranges on the stack
    after those that ended before it are popped.
    """
    keyed = sorted(((version, first, -last, idx, item) for idx, (item, version, first, last) in enumerate(items)),
                   key=_sort_key)
    stack: list[tuple[int, int, T]] = []
    for version, first, neg_last, _idx, item in keyed:
        while stack and (stack[-1][0] != version or stack[-1][1] < first):
            stack.pop()
        yield stack, item
        stack.append((version, -neg_last, item))


def _sort_key(row: tuple[int, int, int, int, object]) -> tuple[int, int, int, int]:
    return row[0], row[1], row[2], row[3]


def _align_up(value: int, size: int) -> int:
    return -(-value // size) * size


def free_range(prefixlen: int, version: int, avoid: Iterable[IPNetwork],
               within: Sequence[IPNetwork] | None = None) -> IPNetwork | None:
    """The first ``/prefixlen`` network inside ``within`` that overlaps nothing in ``avoid``.

    ``within`` defaults to the private ranges (:data:`PRIVATE_V4` or :data:`PRIVATE_V6`); ranges of
    the other family in ``avoid`` or ``within`` are ignored. Candidates are aligned on their own
    size, and the search jumps past each obstacle, so it costs ``O(len(avoid))`` per pool rather
    than one step per candidate.
    """
    width = bits(version)
    if not 0 <= prefixlen <= width:
        return None
    size = 1 << (width - prefixlen)
    blocked = sorted(span(n) for n in avoid if n.version == version)
    pools = within if within is not None else private(version)
    for pool in pools:
        if pool.version != version or pool.prefixlen > prefixlen:
            continue
        pool_first, pool_last = span(pool)
        candidate = pool_first
        for b_first, b_last in blocked:
            if candidate + size - 1 > pool_last:
                break
            if b_last < candidate:
                continue
            if b_first > candidate + size - 1:
                break
            candidate = _align_up(b_last + 1, size)
        if candidate + size - 1 <= pool_last:
            return ipaddress.ip_network((candidate, prefixlen))
    return None


def at_prefix(net: IPNetwork, prefixlen: int) -> IPNetwork:
    """The ``/prefixlen`` network holding ``net``'s first address (a supernet or the first subnet)."""
    return ipaddress.ip_network((int(net.network_address), prefixlen), strict=False)


def suggest_range(prefixlen: int, version: int, avoid: Iterable[IPNetwork],
                  prefer: Sequence[IPNetwork | None] = ()) -> IPNetwork | None:
    """A ``/prefixlen`` range clear of ``avoid``: the first of ``prefer`` (taken at that prefix, so
    ``172.16.0.0/24`` grows into ``172.16.0.0/16``) that is free, else the first free private range.

    A preferred range is only grown within the private ranges (``192.168.0.0/24`` does not grow into the
    public ``192.160.0.0/12``)."""
    avoid = [n for n in avoid if n.version == version]
    if not 0 <= prefixlen <= bits(version):
        return None
    for start in prefer:
        if start is not None and start.version == version:
            own = at_prefix(start, prefixlen)
            grown_out = own.prefixlen < start.prefixlen and not any(contains(p, own) for p in private(version))
            if not grown_out and not any(overlaps(own, n) for n in avoid):
                return own
    return free_range(prefixlen, version, avoid)
