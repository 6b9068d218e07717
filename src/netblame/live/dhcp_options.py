"""Decoding a DHCPv4 reply (pure: bytes in, :class:`Offer` out).

What each piece follows:

- the BOOTP header (RFC 2131 §2) is read with scapy's ``BOOTP`` layer;
- the options are walked here, because every instance of a code is needed as raw bytes: RFC 3396
  says a receiver concatenates all instances of one code, in order (options field, then ``file``,
  then ``sname`` when option 52 overloads them), into one value *before* decoding it. scapy decodes
  each instance on its own, which breaks a search list or route split across instances;
- option 119 (RFC 3397) is a list of RFC 1035 names with compression pointers whose offsets count
  from the start of the reassembled option data (dnsmasq's ``c0 00`` names data offset 0);
  dnspython's ``dns.name.from_wire`` decodes each name, and refuses pointers that do not point
  backwards, so a pointer loop is an error;
- option 121 (RFC 3442) is decoded here: scapy's field raises ``OSError`` on a prefix width over 32
  or a truncated entry (its DHCP layer then keeps every option from there on as one raw blob), and
  decodes per instance (see above).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import dns.exception
import dns.name
from scapy.layers.dhcp import BOOTP

from netblame.errors import NetblameError

T = TypeVar("T")

MAGIC_COOKIE = b"\x63\x82\x53\x63"  # RFC 2131 §3
OPTIONS_START = 240  # 236-byte fixed header + the magic cookie
PAD, END, OVERLOAD = 0, 255, 52
MESSAGE_TYPES = {1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack", 6: "nak", 7: "release",
                 8: "inform"}

SUBNET_MASK, ROUTERS, DNS_SERVERS, DOMAIN_NAME = 1, 3, 6, 15
MESSAGE_TYPE, SERVER_ID = 53, 54
DOMAIN_SEARCH, CLASSLESS_ROUTES = 119, 121


class DhcpDecodeError(NetblameError):
    """Bytes that are not what RFC 2131/3396/3397/3442 say they should be."""


@dataclass(frozen=True, slots=True)
class ClasslessRoute:
    """One RFC 3442 classless static route: ``destination`` (CIDR) via ``router``."""

    destination: str
    router: str


@dataclass(frozen=True)
class Offer:
    """What one DHCP server answered: the decoded options and every option's raw bytes.

    ``options`` maps each code to its value after RFC 3396 reassembly; ``parts`` says in how many
    instances each code arrived (more than one: the server split it). ``problems`` names options
    that could not be decoded (the other fields still hold what could).
    """

    server: str
    offered: str | None
    subnet_mask: str | None
    routers: tuple[str, ...]
    dns_servers: tuple[str, ...]
    domain_name: str | None
    search_domains: tuple[str, ...]
    classless_routes: tuple[ClasslessRoute, ...]
    options: Mapping[int, bytes] = field(hash=False)
    message_type: str = "offer"
    parts: Mapping[int, int] = field(default_factory=dict, hash=False)
    problems: tuple[str, ...] = ()


def walk_options(area: bytes, where: str) -> Iterator[tuple[int, bytes]]:
    """Yield ``(code, data)`` for each option instance in one area, up to END (RFC 2131 §4.1)."""
    pos = 0
    while pos < len(area):
        code = area[pos]
        if code == END:
            return
        if code == PAD:
            pos += 1
            continue
        if pos + 1 >= len(area):
            raise DhcpDecodeError(f"option {code} at byte {pos} of the {where} has no length byte")
        length = area[pos + 1]
        if pos + 2 + length > len(area):
            raise DhcpDecodeError(f"option {code} at byte {pos} of the {where} claims {length} bytes, "
                                  f"only {len(area) - pos - 2} follow")
        yield code, area[pos + 2:pos + 2 + length]
        pos += 2 + length


def reassemble(message: bytes) -> tuple[dict[int, bytes], dict[int, int]]:
    """Every option of a BOOTP message, each code's instances joined in order (RFC 3396).

    Areas are read in the order of RFC 2131 §4.1: the options field first (it holds option 52), then
    ``file`` and then ``sname`` when option 52 says they carry options. Returns ``(values, parts)``.
    """
    if len(message) < OPTIONS_START or message[OPTIONS_START - 4:OPTIONS_START] != MAGIC_COOKIE:
        raise DhcpDecodeError(f"not a DHCP message: {len(message)} bytes, no magic cookie at byte 236")
    values: dict[int, bytes] = {}
    parts: dict[int, int] = {}

    def take(area: bytes, where: str) -> None:
        for code, data in walk_options(area, where):
            values[code] = values.get(code, b"") + data
            parts[code] = parts.get(code, 0) + 1

    take(message[OPTIONS_START:], "options field")
    overload = values.get(OVERLOAD, b"")
    if overload:
        if len(overload) != 1 or overload[0] not in (1, 2, 3):
            raise DhcpDecodeError(f"option 52 (overload) must be one byte 1, 2 or 3, got {overload.hex()}")
        if overload[0] & 1:
            take(message[108:236], "file field")
        if overload[0] & 2:
            take(message[44:108], "sname field")
    return values, parts


def decode_addresses(code: int, data: bytes) -> tuple[str, ...]:
    """A list of IPv4 addresses (options 1, 3, 6; RFC 2132 §3.3, §3.5, §3.8)."""
    if not data or len(data) % 4:
        raise DhcpDecodeError(f"option {code}: {len(data)} bytes is not a list of IPv4 addresses (4 bytes each)")
    return tuple(str(ipaddress.IPv4Address(data[i:i + 4])) for i in range(0, len(data), 4))


def decode_domain_name(data: bytes) -> str:
    """Option 15: the domain name as plain ASCII text (RFC 2132 §3.17); trailing NULs are dropped."""
    text = data.rstrip(b"\0")
    try:
        return text.decode("ascii")
    except UnicodeDecodeError:
        raise DhcpDecodeError(f"option 15: not ASCII text: {data.hex()}") from None


def decode_domain_search(data: bytes) -> tuple[str, ...]:
    """Option 119 (RFC 3397 §2): RFC 1035 names, compression pointers relative to the option data."""
    names: list[str] = []
    pos = 0
    while pos < len(data):
        try:
            name, used = dns.name.from_wire(data, pos)
        except dns.name.BadPointer:
            raise DhcpDecodeError(f"option 119: the name at byte {pos} has a compression pointer that does not "
                                  "point back to an earlier name (a loop or a forward pointer)") from None
        except dns.exception.DNSException as exc:
            raise DhcpDecodeError(f"option 119: the name at byte {pos} of {len(data)} is malformed: "
                                  f"{str(exc).rstrip('.')}") from None
        names.append(name.to_text(omit_final_dot=name != dns.name.root))
        pos += used
    return tuple(names)


def decode_classless_routes(data: bytes) -> tuple[ClasslessRoute, ...]:
    """Option 121 (RFC 3442): width, the significant octets of the destination, the router."""
    routes: list[ClasslessRoute] = []
    pos = 0
    while pos < len(data):
        width = data[pos]
        if width > 32:
            raise DhcpDecodeError(f"option 121: prefix width {width} at byte {pos} is over 32")
        octets = (width + 7) // 8
        end = pos + 1 + octets + 4
        if end > len(data):
            raise DhcpDecodeError(f"option 121: the route at byte {pos} needs {end - pos} bytes, "
                                  f"only {len(data) - pos} are left")
        dest = ipaddress.IPv4Address(data[pos + 1:pos + 1 + octets].ljust(4, b"\0"))
        router = ipaddress.IPv4Address(data[pos + 1 + octets:end])
        routes.append(ClasslessRoute(f"{dest}/{width}", str(router)))
        pos = end
    return tuple(routes)


def _decoded(values: Mapping[int, bytes], code: int, decode: Callable[[bytes], T], empty: T,
             problems: list[str]) -> T:
    """``decode`` the value of ``code`` if present; a decoding problem is noted and ``empty`` returned."""
    if code not in values:
        return empty
    try:
        return decode(values[code])
    except DhcpDecodeError as exc:
        problems.append(str(exc))
        return empty


def decode_offer(message: bytes, source: str | None = None) -> Offer:
    """Decode one BOOTREPLY. ``source`` (the IP source) names the server when option 54 is absent."""
    values, parts = reassemble(message)
    header = BOOTP(message[:OPTIONS_START - 4])
    problems: list[str] = []

    def addresses(code: int) -> tuple[str, ...]:
        return _decoded(values, code, lambda data: decode_addresses(code, data), (), problems)

    server_id, mask, kind = addresses(SERVER_ID), addresses(SUBNET_MASK), values.get(MESSAGE_TYPE, b"")
    offered = str(header.yiaddr)
    return Offer(
        server=server_id[0] if server_id else (source or str(header.siaddr)),
        offered=None if offered == "0.0.0.0" else offered,
        subnet_mask=mask[0] if mask else None,
        routers=addresses(ROUTERS),
        dns_servers=addresses(DNS_SERVERS),
        domain_name=_decoded(values, DOMAIN_NAME, decode_domain_name, None, problems),
        search_domains=_decoded(values, DOMAIN_SEARCH, decode_domain_search, (), problems),
        classless_routes=_decoded(values, CLASSLESS_ROUTES, decode_classless_routes, (), problems),
        options=values,
        message_type=MESSAGE_TYPES.get(kind[0], str(kind[0])) if len(kind) == 1 else "unknown",
        parts=parts,
        problems=tuple(problems),
    )
