"""CIDR values as the user wrote them, parsed strictly but remembering host bits."""

from __future__ import annotations

import ipaddress

# The C module behind :mod:`socket`: ``inet_pton`` is all this module needs, and ``socket`` itself (its
# enums and selectors) costs more to import than every check of a few files spends parsing addresses.
from _socket import AF_INET, AF_INET6, inet_pton
from dataclasses import dataclass
from typing import Literal

from netblame._record import Record
from netblame.errors import InputError, shown
from netblame.model.origin import Origin

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Family = Literal[4, 6]


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # made in bulk: see netblame._record
class Cidr(Record):
    """A CIDR from some input: the text as written, the network it really is, and its origin.

    ``network`` is computed with the host bits cleared, so ``10.196.0.0/12`` is kept as written in
    ``text`` while ``network`` is ``10.192.0.0/12``; :attr:`host_bits_set` tells the two apart.
    """

    text: str
    network: IPNetwork
    origin: Origin

    @property
    def family(self) -> Family:
        """4 or 6."""
        return 4 if self.network.version == 4 else 6

    @property
    def prefixlen(self) -> int:
        """The prefix length."""
        return self.network.prefixlen

    @property
    def host_bits_set(self) -> bool:
        """True when the text has bits set to the right of the prefix."""
        try:
            address = parse_ip(self.text.partition("/")[0])
        except ValueError:  # a form only ip_interface reads (scoped IPv6)
            address = ipaddress.ip_interface(self.text).ip
        return address != self.network.network_address

    def __str__(self) -> str:
        return self.text


def parse_cidr(text: object, origin: Origin, *, family: Family | None = None, what: str = "a CIDR") -> Cidr:
    """Parse ``text`` as a CIDR or raise :class:`InputError` naming the origin and what was expected.

    A bare address without ``/len`` is rejected: every range netblame reads is written with a prefix.
    """
    label = f"{origin.flag}: " if origin.flag else ""

    def fail(message: str) -> InputError:
        return InputError(f"{label}{message}", file=origin.file, line=origin.line)

    if not isinstance(text, str) or "/" not in text:
        raise fail(f"expected {what} such as 10.244.0.0/16, got {shown(text, 24)}")
    value = text.strip()
    network = _fast_parse(value)
    if network is None:
        try:
            network = ipaddress.ip_interface(value).network
        except ValueError:
            raise fail(f"expected {what} such as 10.244.0.0/16, got {shown(text, 24)}{_why_invalid(value)}") from None
    if family is not None and network.version != family:
        raise fail(f"expected an IPv{family} CIDR for {what}, got IPv{network.version} {value!r}")
    return Cidr(text=value, network=network, origin=origin)


def _fast_parse(value: str) -> IPNetwork | None:
    """The network of a plainly written CIDR, parsed three times faster than :mod:`ipaddress` parses
    text (a 5,000-node dump holds 10,000 of them); None for anything else, which :mod:`ipaddress` then
    parses or explains. ``inet_pton`` is as strict as ipaddress: no leading zeros, no short IPv4."""
    address, sep, prefix = value.partition("/")
    if not sep or not prefix.isascii() or not prefix.isdigit() or len(prefix) > 3:
        return None
    try:
        packed = inet_pton(AF_INET6 if ":" in address else AF_INET, address)
    except OSError:
        return None
    bits, length = len(packed) * 8, int(prefix)
    if length > bits:
        return None
    number = int.from_bytes(packed, "big")
    base = number & (((1 << bits) - 1) ^ ((1 << (bits - length)) - 1))
    return ipaddress.IPv4Network((base, length)) if bits == 32 else ipaddress.IPv6Network((base, length))


def parse_ip(text: str) -> IPAddress:
    """An IP address from text, like :func:`ipaddress.ip_address` (ValueError when it is not one) but
    faster for plain addresses."""
    try:
        if ":" in text:
            return ipaddress.IPv6Address(int.from_bytes(inet_pton(AF_INET6, text), "big"))
        return ipaddress.IPv4Address(int.from_bytes(inet_pton(AF_INET, text), "big"))
    except OSError:
        return ipaddress.ip_address(text)


def _why_invalid(value: str) -> str:
    """The reason ``value`` is not a CIDR, when it can be told in a few words (else empty)."""
    address, _, prefix = value.partition("/")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return f" ({address!r} is not an IP address)"
    if not (prefix.isascii() and prefix.isdigit()):
        return f" (prefix length {_clip(prefix)!r} is not a number)"
    if len(prefix) > 3 or int(prefix) > ip.max_prefixlen:
        return (f" (prefix length {_clip(prefix)} is longer than the {ip.max_prefixlen} bits of an "
                f"IPv{ip.version} address)")
    return ""


def _clip(text: str) -> str:
    """``text`` cut to a length a one-line message can show."""
    return text if len(text) <= 20 else f"{text[:17]}..."

