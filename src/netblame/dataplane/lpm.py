"""Longest-prefix match over integers: one dict per prefix length, probed longest first.

Measured as the fastest pure-Python structure for routing tables (docs/trace.md cites the
figures): a node's tables are small and use few distinct lengths, so a probe is a handful of
shifts and dict lookups. Addresses are ``int`` (``ipaddress`` parsing is for the edges only).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

BITS = {4: 32, 6: 128}


def parse_ip(text: str) -> tuple[int, int]:
    """``(family, value)`` of an address; ValueError when it is not one."""
    try:
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except OSError:
        pass
    try:
        return 6, int.from_bytes(socket.inet_pton(socket.AF_INET6, text.split("%", 1)[0]), "big")
    except OSError:
        raise ValueError(f"not an IP address: {text!r}") from None


def parse_prefix(text: str) -> tuple[int, int, int]:
    """``(family, network, length)`` of a CIDR (host bits are cleared, as the kernel stores it)."""
    if text == "default":
        return 4, 0, 0
    addr, _, length = text.partition("/")
    family, value = parse_ip(addr)
    bits = BITS[family]
    plen = (int(length) if length.isascii() and length.isdigit() and len(length) <= 3 else -1) if length else bits
    if not 0 <= plen <= bits:
        raise ValueError(f"bad prefix length in {text!r}")
    shift = bits - plen
    return family, (value >> shift) << shift, plen


def format_ip(family: int, value: int) -> str:
    """The text form of an address."""
    if family == 4:
        return socket.inet_ntop(socket.AF_INET, value.to_bytes(4, "big"))
    return str(ipaddress.IPv6Address(value))


def in_prefix(family: int, addr: int, net: int, length: int) -> bool:
    """Whether ``addr`` lies in ``net/length``."""
    shift = BITS[family] - length
    return (addr >> shift) == (net >> shift)


class Lpm(Generic[T]):
    """A longest-prefix-match table for one address family."""

    __slots__ = ("_bits", "_by_len", "_lens")

    def __init__(self, family: int) -> None:
        self._bits = BITS[family]
        self._by_len: dict[int, dict[int, T]] = {}
        self._lens: list[int] = []

    def __len__(self) -> int:
        return sum(len(d) for d in self._by_len.values())

    def insert(self, net: int, length: int, value: T) -> None:
        """Store ``value`` under ``net/length`` (replacing what was there)."""
        table = self._by_len.get(length)
        if table is None:
            table = self._by_len[length] = {}
            self._lens = sorted(self._by_len, reverse=True)
        table[net >> (self._bits - length)] = value

    def get(self, net: int, length: int) -> T | None:
        """The value stored exactly under ``net/length``."""
        table = self._by_len.get(length)
        return None if table is None else table.get(net >> (self._bits - length))

    def lookup(self, addr: int) -> tuple[int, T] | None:
        """``(length, value)`` of the longest prefix containing ``addr``, or None."""
        bits = self._bits
        for length in self._lens:
            hit = self._by_len[length].get(addr >> (bits - length))
            if hit is not None:
                return length, hit
        return None

    def matches(self, addr: int) -> Iterator[tuple[int, T]]:
        """Every prefix containing ``addr``, longest first (for backtracking lookups)."""
        bits = self._bits
        for length in self._lens:
            hit = self._by_len[length].get(addr >> (bits - length))
            if hit is not None:
                yield length, hit
