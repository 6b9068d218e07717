"""Ask the DHCP servers on a link what they offer, without taking anything (the I/O half of the probe).

One DHCPDISCOVER (or, when the interface already has an IPv4 address, one DHCPINFORM for that
address) goes out with a Parameter Request List of 1, 3, 6, 15, 119 and 121; every reply with the
same transaction id that arrives within the timeout is decoded by :mod:`netblame.live.dhcp_options`.
Nothing else is sent: no DHCPREQUEST, so no lease is taken; no address, route or link state changes.

Sending and receiving use one ``AF_PACKET`` datagram socket bound to the interface (as DHCP clients
do before they hold an address): it needs no address on the link, binds no UDP port (so it cannot
take replies away from a DHCP client running on the host) and sees broadcast and unicast replies.
It needs ``CAP_NET_RAW`` (root).
"""

from __future__ import annotations

import fcntl
import secrets
import select
import socket
import struct
import time
from dataclasses import dataclass

from scapy.layers.dhcp import BOOTP, DHCP
from scapy.layers.inet import IP, UDP

from netblame.errors import CollectError, InputError
from netblame.live.dhcp_options import (
    CLASSLESS_ROUTES,
    DNS_SERVERS,
    DOMAIN_NAME,
    DOMAIN_SEARCH,
    ROUTERS,
    SUBNET_MASK,
    ClasslessRoute,
    DhcpDecodeError,
    Offer,
    decode_offer,
)

__all__ = ["REQUESTED", "ClasslessRoute", "Offer", "ProbeResult", "build_request", "probe"]

REQUESTED = (SUBNET_MASK, ROUTERS, DNS_SERVERS, DOMAIN_NAME, DOMAIN_SEARCH, CLASSLESS_ROUTES)
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFMTU, SIOCGIFHWADDR = 0x8913, 0x8915, 0x8921, 0x8927
IFF_UP, ARPHRD_ETHER = 0x1, 1
BROADCAST_FLAG = 0x8000  # RFC 2131 §4.1: ask the server to broadcast its reply (we have no address yet)


@dataclass(frozen=True)
class ProbeResult:
    """The replies seen on ``iface``, one per server, in the order they arrived."""

    iface: str
    offers: tuple[Offer, ...]
    message: str = "discover"
    client_address: str | None = None
    timeout: float = 0.0


@dataclass(frozen=True, slots=True)
class _Link:
    """What the probe needs to know about the interface."""

    name: str
    mac: bytes
    address: str | None
    mtu: int


def build_request(mac: bytes, xid: int, *, client_address: str | None = None, max_size: int = 1500) -> bytes:
    """The IPv4 datagram of a DHCPDISCOVER (no address) or DHCPINFORM (``client_address``).

    RFC 2131 §4.4.1 / §4.4.3: no requested address (50), no server identifier (54), no client
    identifier; option 57 tells the server how large a reply may be (RFC 2132 §9.10, at least 576).
    """
    kind = "inform" if client_address else "discover"
    source = client_address or "0.0.0.0"
    packet = (
        IP(src=source, dst="255.255.255.255", ttl=64)
        / UDP(sport=68, dport=67)
        / BOOTP(op=1, htype=1, hlen=6, xid=xid, flags=BROADCAST_FLAG, ciaddr=source, chaddr=mac)
        / DHCP(options=[("message-type", kind), ("param_req_list", list(REQUESTED)),
                        ("max_dhcp_size", max(576, min(max_size, 65535))), "end"])
    )
    return bytes(packet)


def _ioctl(iface: str, request: int) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        return fcntl.ioctl(sock.fileno(), request, struct.pack("256s", iface.encode()))


def _link(iface: str) -> _Link:
    """Read the interface's state; refuse what the probe cannot use, never change it."""
    try:
        socket.if_nametoindex(iface)
    except (OSError, ValueError):
        raise InputError(f"no network interface named {iface!r} (see `ip link`)") from None
    flags = struct.unpack_from("H", _ioctl(iface, SIOCGIFFLAGS), 16)[0]
    if not flags & IFF_UP:
        raise CollectError(f"interface {iface} is down; the probe changes nothing, so bring it up first "
                           f"(`ip link set {iface} up`)")
    hwtype, mac = struct.unpack_from("H6s", _ioctl(iface, SIOCGIFHWADDR), 16)
    if hwtype != ARPHRD_ETHER:
        raise CollectError(f"interface {iface} is not an Ethernet-like link (ARP hardware type {hwtype}); "
                           "DHCP needs a link with broadcast")
    try:
        address: str | None = socket.inet_ntoa(_ioctl(iface, SIOCGIFADDR)[20:24])
    except OSError:  # EADDRNOTAVAIL: no IPv4 address on the link
        address = None
    mtu = struct.unpack_from("i", _ioctl(iface, SIOCGIFMTU), 16)[0]
    return _Link(iface, mac, address, mtu)


def _open(iface: str) -> socket.socket:
    try:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    except PermissionError:
        raise CollectError("the DHCP probe needs root (CAP_NET_RAW) to send on a link without an address") from None
    sock.bind((iface, ETH_P_IP))
    return sock


def _reply(frame: bytes, xid: int) -> tuple[bytes, str] | None:
    """The BOOTP payload and IP source of ``frame`` if it is a reply to our transaction."""
    packet = IP(frame)
    udp = packet.getlayer(UDP)
    if udp is None or udp.sport != 67 or udp.dport != 68:
        return None
    message = bytes(udp.payload)
    if len(message) < 8 or message[0] != 2 or int.from_bytes(message[4:8], "big") != xid:
        return None
    return message, str(packet.src)


def probe(iface: str, *, timeout: float = 5.0) -> ProbeResult:
    """Send one DHCPDISCOVER/DHCPINFORM on ``iface`` and collect the replies for ``timeout`` seconds."""
    link = _link(iface)
    xid = secrets.randbits(32)
    request = build_request(link.mac, xid, client_address=link.address, max_size=link.mtu)
    offers: dict[tuple[str, bytes], Offer] = {}  # one per server (identifier, MAC)
    with _open(iface) as sock:
        sock.sendto(request, (iface, ETH_P_IP, 0, ARPHRD_ETHER, b"\xff" * 6))
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            if not select.select([sock], [], [], left)[0]:
                continue
            frame, address = sock.recvfrom(65535)
            if address[2] == PACKET_OUTGOING:
                continue
            found = _reply(frame, xid)
            if found is None:
                continue
            message, source = found
            try:
                offer = decode_offer(message, source)
            except DhcpDecodeError as exc:
                offer = Offer(server=source, offered=None, subnet_mask=None, routers=(), dns_servers=(),
                              domain_name=None, search_domains=(), classless_routes=(), options={},
                              message_type="unreadable", problems=(str(exc),))
            offers.setdefault((offer.server, address[4]), offer)
    return ProbeResult(iface, tuple(offers.values()), "inform" if link.address else "discover",
                       link.address, timeout)
