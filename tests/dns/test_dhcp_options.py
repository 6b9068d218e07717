"""The DHCP reply decoders on hand-assembled bytes: RFC 3396 reassembly (options, file, sname),
RFC 1035 compression in option 119, RFC 3442 routes, and a clear error for each kind of bad data."""

from __future__ import annotations

import io
import ipaddress

import dns.name
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from netblame.dns.dhcp_use import HostUse, OptionUse
from netblame.live.dhcp_options import (
    MAGIC_COOKIE,
    ClasslessRoute,
    DhcpDecodeError,
    decode_classless_routes,
    decode_domain_search,
    decode_offer,
    reassemble,
)
from netblame.live.dhcp_probe import REQUESTED, ProbeResult, build_request
from netblame.render.dhcp_probe import render_table

# dnsmasq 2.90's option 119 for home.arpa, lab.home.arpa, k8s.lab.home.arpa (captured from a real exchange)
DNSMASQ_119 = bytes.fromhex("04686f6d65046172706100036c6162c000036b3873036c6162c000")


def opt(code: int, data: bytes) -> bytes:
    assert len(data) <= 255
    return bytes([code, len(data)]) + data


def message(options: bytes, *, file: bytes = b"", sname: bytes = b"", yiaddr: str = "10.0.0.7") -> bytes:
    """A BOOTREPLY: fixed header, sname (64), file (128), magic cookie, options."""
    header = bytes([2, 1, 6, 0]) + (0x1234).to_bytes(4, "big") + bytes(4)
    header += bytes(4) + ipaddress.IPv4Address(yiaddr).packed + bytes(8) + bytes(16)
    return header + sname.ljust(64, b"\0") + file.ljust(128, b"\0") + MAGIC_COOKIE + options + b"\xff"


def test_dnsmasq_compressed_list_decodes() -> None:
    assert decode_domain_search(DNSMASQ_119) == ("home.arpa", "lab.home.arpa", "k8s.lab.home.arpa")


def test_split_option_is_joined_before_decoding() -> None:
    # the pointer in the second instance refers to byte 0 of the first instance's data
    first, second = DNSMASQ_119[:15], DNSMASQ_119[15:]
    msg = message(opt(53, b"\x02") + opt(119, first) + opt(1, bytes([255, 255, 255, 0])) + opt(119, second))
    offer = decode_offer(msg)
    assert offer.search_domains == ("home.arpa", "lab.home.arpa", "k8s.lab.home.arpa")
    assert offer.parts[119] == 2 and offer.options[119] == DNSMASQ_119
    assert offer.subnet_mask == "255.255.255.0" and offer.offered == "10.0.0.7"
    with pytest.raises(DhcpDecodeError):  # each instance alone is not a valid list
        decode_domain_search(second)


def test_overloaded_file_and_sname_follow_the_options_field() -> None:
    # RFC 3396: options field, then file, then sname
    a, b, c = DNSMASQ_119[:11], DNSMASQ_119[11:17], DNSMASQ_119[17:]
    msg = message(opt(52, b"\x03") + opt(119, a), file=opt(119, b) + b"\xff", sname=opt(119, c) + b"\xff")
    values, parts = reassemble(msg)
    assert values[119] == DNSMASQ_119 and parts[119] == 3
    assert decode_offer(msg).search_domains == ("home.arpa", "lab.home.arpa", "k8s.lab.home.arpa")


def test_file_and_sname_are_not_options_without_overload() -> None:
    msg = message(opt(53, b"\x02"), file=opt(119, b"\x03lab\x00") + b"\xff")
    assert 119 not in reassemble(msg)[0]


@pytest.mark.parametrize(("data", "words"), [
    (b"\xc0\x00", "does not point back"),                  # points at itself
    (b"\x03lab\xc0\x00", "does not point back"),           # lab -> lab -> ... (a loop)
    (b"\x03lab\x00\x03k8s\xc0\x0a", "does not point back"),  # forward pointer
    (b"\x05ab", "malformed"),                              # label runs past the end
    (b"\x03lab", "malformed"),                             # no terminating zero
    (b"\x03lab\x00\xc0", "malformed"),                     # half a pointer
    (b"\x40abc\x00", "malformed"),                         # reserved label type 01
])
def test_bad_search_lists_give_a_clear_error(data: bytes, words: str) -> None:
    with pytest.raises(DhcpDecodeError, match="option 119") as info:
        decode_domain_search(data)
    assert words in str(info.value)


def test_bad_option_keeps_the_rest_of_the_offer() -> None:
    msg = message(opt(53, b"\x02") + opt(6, bytes([10, 0, 0, 1])) + opt(119, b"\xc0\x00") + opt(15, b"home.arpa"))
    offer = decode_offer(msg)
    assert offer.dns_servers == ("10.0.0.1",) and offer.domain_name == "home.arpa"
    assert offer.search_domains == () and len(offer.problems) == 1 and "option 119" in offer.problems[0]


@pytest.mark.parametrize(("options", "words"), [
    (b"\x77\x10\x03lab", "claims 16 bytes, only 4 follow"),
    (b"\x01", "no length byte"),
])
def test_truncated_options_area(options: bytes, words: str) -> None:
    msg = message(b"")[:-1] + options
    with pytest.raises(DhcpDecodeError, match=words):
        reassemble(msg)


def test_not_a_dhcp_message() -> None:
    with pytest.raises(DhcpDecodeError, match="magic cookie"):
        reassemble(bytes(300))


def test_bad_overload_value() -> None:
    with pytest.raises(DhcpDecodeError, match="option 52"):
        reassemble(message(opt(52, b"\x04")))


def test_addresses_must_be_whole() -> None:
    offer = decode_offer(message(opt(3, b"\x0a\x00\x00")))
    assert offer.routers == () and "not a list of IPv4 addresses" in offer.problems[0]


def test_classless_routes() -> None:
    data = bytes([0, 10, 0, 0, 1, 8, 10, 10, 0, 0, 2, 24, 192, 168, 5, 10, 0, 0, 3, 32, 1, 2, 3, 4, 10, 0, 0, 4])
    assert decode_classless_routes(data) == (
        ClasslessRoute("0.0.0.0/0", "10.0.0.1"), ClasslessRoute("10.0.0.0/8", "10.0.0.2"),
        ClasslessRoute("192.168.5.0/24", "10.0.0.3"), ClasslessRoute("1.2.3.4/32", "10.0.0.4"))


@pytest.mark.parametrize(("data", "words"), [
    (bytes([33, 1, 2, 3, 4, 5, 10, 0, 0, 1]), "width 33"),
    (bytes([24, 192, 168, 5, 10, 0]), "needs 8 bytes, only 6"),
])
def test_bad_classless_routes(data: bytes, words: str) -> None:
    with pytest.raises(DhcpDecodeError, match=words):
        decode_classless_routes(data)


def test_request_asks_and_takes_nothing() -> None:
    mac = bytes.fromhex("02aabbccddee")
    discover = build_request(mac, 0xDEADBEEF)[28:]  # past the IP and UDP headers
    values, _ = reassemble(discover)
    assert values[53] == b"\x01" and tuple(values[55]) == REQUESTED
    assert not {50, 54, 61} & set(values)  # no requested address, server id or client id: not a REQUEST
    assert discover[10:12] == b"\x80\x00" and discover[28:34] == mac
    inform = build_request(mac, 1, client_address="10.98.0.9")[28:]
    assert reassemble(inform)[0][53] == b"\x08" and inform[12:16] == bytes([10, 98, 0, 9])


def test_table_shows_split_missing_and_host_use() -> None:
    offer = decode_offer(message(opt(53, b"\x02") + opt(119, DNSMASQ_119[:15]) + opt(119, DNSMASQ_119[15:])))
    use = HostUse("eth0", "netplan (etc/netplan/50-cloud-init.yaml:5)", (OptionUse(119, "no", "not set"),))
    out = Console(width=200, record=True)
    render_table(ProbeResult("eth0", (offer,), timeout=2), use, out)
    text = out.export_text()
    assert "home.arpa, lab.home.arpa, k8s.lab.home.arpa  [27 bytes in 2 parts, RFC 3396]" in text
    assert "no: not set" in text and text.count("not sent") == 5
    assert "1 server(s) answered a DHCPDISCOVER on eth0 within 2 s" in text


# --- property tests: encode with dnspython (with compression), split into RFC 3396 instances, decode

LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)
NAME = st.lists(st.sampled_from(["lab", "home", "arpa", "k8s", "example"]) | LABEL, min_size=1, max_size=5)
DOMAINS = st.lists(NAME.map(".".join), min_size=1, max_size=25, unique=True)


def encode_search(domains: list[str]) -> bytes:
    wire = io.BytesIO()
    compress: dict[dns.name.Name, int] = {}
    for domain in domains:
        dns.name.from_text(domain).to_wire(wire, compress)
    return wire.getvalue()


@given(DOMAINS, st.integers(min_value=1, max_value=255), st.booleans())
def test_search_list_round_trips_through_split_options(domains: list[str], chunk: int, interleave: bool) -> None:
    data = encode_search(domains)
    options = b""
    for start in range(0, len(data), chunk):
        options += opt(119, data[start:start + chunk])
        if interleave:
            options += opt(3, bytes([10, 0, 0, 1]))
    offer = decode_offer(message(options))
    assert offer.search_domains == tuple(domains)
    assert offer.parts[119] == -(-len(data) // chunk)


ROUTE = st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32), st.integers(0, 2**32 - 1))


@given(st.lists(ROUTE, max_size=20))
def test_classless_routes_round_trip(routes: list[tuple[int, int, int]]) -> None:
    data, expected = b"", []
    for dest, width, router in routes:
        net = ipaddress.IPv4Network((dest, width), strict=False)
        data += bytes([width]) + net.network_address.packed[:(width + 7) // 8] + router.to_bytes(4, "big")
        expected.append(ClasslessRoute(str(net), str(ipaddress.IPv4Address(router))))
    assert decode_classless_routes(data) == tuple(expected)
