"""The probe against real DHCP servers in namespaces: it must report exactly what they were told to send.

dnsmasq 2.90 (Debian) for a compressed search list, options 1, 3, 6, 15, 121, DISCOVER and INFORM;
ISC dhcpd 4.4 (unpacked from Debian's isc-dhcp-server) for a search list it splits per RFC 3396,
since dnsmasq refuses any option longer than 255 bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dhcplab import dhcp_link, need_binary, run

pytestmark = pytest.mark.root

SEARCH = ["lab", "home.arpa", "k8s.lab.home.arpa", "storage.k8s.lab.home.arpa",
          "build-farm.engineering.example-organisation.home.arpa",
          "ci.build-farm.engineering.example-organisation.home.arpa",
          "monitoring.engineering.example-organisation.home.arpa", "cameras.iot.home.arpa"]
UNCOMPRESSED = sum(len(d) + 2 for d in SEARCH)  # RFC 1035 encoding without pointers


def sent_option(log: str, code: int) -> tuple[int, str]:
    """Size and the (possibly shortened) hex dnsmasq --log-dhcp says it sent for ``code``."""
    found = re.search(rf"sent size:\s*(\d+) option:\s*{code} \S+\s+(\S+)", log)
    assert found, f"dnsmasq did not log option {code}:\n{log}"
    return int(found[1]), found[2].rstrip(".").replace(":", "")


def test_probe_reports_exactly_what_dnsmasq_sends(tmp_path: Path) -> None:
    with dhcp_link("nbt-dh-a", 31, tmp_path) as link:
        log = link.dnsmasq("--domain=home.arpa", f"--dhcp-option=option:domain-search,{','.join(SEARCH)}",
                           f"--dhcp-option=option:dns-server,{link.ip(1)},{link.ip(2)}",
                           f"--dhcp-option=option:classless-static-route,10.20.0.0/16,{link.ip(254)},"
                           f"0.0.0.0/0,{link.ip(1)}")
        state = ("ip", "-4", "-j", "addr", "show", "eth0"), ("ip", "-4", "route", "show")
        before = [link.in_client(*cmd).stdout for cmd in state]
        result = link.probe_json()  # the default timeout outlasts dnsmasq's 3 s ping before a first offer
        after = [link.in_client(*cmd).stdout for cmd in state]
    text = log.read_text()
    assert result["sent"] == "DHCPDISCOVER" and len(result["offers"]) == 1
    offer = result["offers"][0]
    assert offer["message_type"] == "offer" and offer["server"] == link.ip(1)
    assert link.ip(50) <= offer["offered"] <= link.ip(60)
    assert offer["subnet_mask"] == "255.255.255.0" and offer["routers"] == [link.ip(1)]
    assert offer["dns_servers"] == [link.ip(1), link.ip(2)]
    assert offer["domain_name"] == "home.arpa"
    assert offer["search_domains"] == SEARCH
    assert offer["classless_routes"] == [{"destination": "10.20.0.0/16", "router": link.ip(254)},
                                         {"destination": "0.0.0.0/0", "router": link.ip(1)}]
    # the raw bytes are the ones dnsmasq logged, and they use compression pointers
    size, logged = sent_option(text, 119)
    raw = offer["options"]["119"]["hex"]
    assert len(raw) // 2 == size < UNCOMPRESSED and raw.startswith(logged) and "c0" in raw
    assert "requested options: 1:netmask, 3:router, 6:dns-server, 15:domain-name" in text
    assert "119:domain-search, 121:classless-static-route" in text
    assert "DHCPREQUEST" not in text and before == after  # nothing taken, nothing changed
    assert offer["problems"] == []


def test_inform_on_a_link_with_an_address(tmp_path: Path) -> None:
    with dhcp_link("nbt-dh-b", 32, tmp_path) as link:
        log = link.dnsmasq("--domain=home.arpa", "--dhcp-option=option:domain-search,lab,home.arpa")
        link.in_client("ip", "addr", "add", f"{link.ip(77)}/24", "dev", "eth0", check=True)
        routes = link.in_client("ip", "route", "show").stdout
        result = link.probe_json("--timeout", "2")
        assert link.in_client("ip", "route", "show").stdout == routes
    assert result["sent"] == "DHCPINFORM" and result["client_address"] == link.ip(77)
    (offer,) = result["offers"]
    assert offer["message_type"] == "ack" and offer["offered"] is None
    assert offer["search_domains"] == ["lab", "home.arpa"] and offer["domain_name"] == "home.arpa"
    assert f"DHCPINFORM({link.srv_if}) {link.ip(77)}" in log.read_text()
    assert not (tmp_path / "dnsmasq.leases").read_text().strip()  # no lease recorded


def test_overloaded_reply_from_dnsmasq(tmp_path: Path) -> None:
    """A 576-byte limit (eth0's MTU, sent as option 57) leaves 308 bytes for options; a forced
    216-byte option 252 fills them, so dnsmasq moves option 119 into the `file` field (option 52 = 1)."""
    search = ["lab", "home.arpa", "k8s.lab.home.arpa", "storage-services.k8s.lab.home.arpa"]
    with dhcp_link("nbt-dh-o", 35, tmp_path) as link:
        log = link.dnsmasq("--no-ping", "--domain=home.arpa", f"--dhcp-option=option:domain-search,{','.join(search)}",
                           "--dhcp-option-force=252,http://" + "w" * 190 + ".home.arpa/wpad.dat")
        link.in_client("ip", "link", "set", "eth0", "mtu", "576", check=True)
        result = link.probe_json("--timeout", "2")
    (offer,) = result["offers"]
    assert offer["options"]["52"]["hex"] == "01" and "option: 52 option-overload  01" in log.read_text()
    assert offer["search_domains"] == search and offer["domain_name"] == "home.arpa"
    assert len(offer["options"]["252"]["hex"]) // 2 == 216 and offer["problems"] == []


def test_dnsmasq_refuses_an_option_over_255_bytes() -> None:
    """Why the split case needs another server: dnsmasq never has to split option 119."""
    dnsmasq = need_binary("dnsmasq")
    labels = ",".join(c * 40 for c in "abcdef")  # 6 x 42 = 252 encoded bytes
    ok = run(dnsmasq, "--test", "--conf-file=/dev/null", f"--dhcp-option=option:domain-search,{labels},xx",
             check=False)  # 256 bytes
    fits = run(dnsmasq, "--test", "--conf-file=/dev/null", f"--dhcp-option=option:domain-search,{labels},x",
               check=False)  # 255 bytes
    assert ok.returncode != 0 and "dhcp-option too long" in ok.stderr
    assert fits.returncode == 0


def test_split_search_list_from_isc_dhcpd(tmp_path: Path) -> None:
    domains = [f"site{i:02d}-{chr(97 + i) * 12}.example.net" for i in range(14)]
    with dhcp_link("nbt-dh-c", 33, tmp_path) as link:
        quoted = ", ".join(f'"{d}"' for d in domains)
        link.dhcpd(f'ping-check false;\noption domain-name "home.arpa";\noption domain-search {quoted};')
        result = link.probe_json("--timeout", "2")
    (offer,) = result["offers"]
    raw = offer["options"]["119"]
    assert raw["parts"] >= 2 and len(raw["hex"]) // 2 > 255  # really split, per RFC 3396
    assert offer["search_domains"] == domains and offer["domain_name"] == "home.arpa"
    assert offer["problems"] == []


def test_probe_errors_are_one_line(tmp_path: Path) -> None:
    with dhcp_link("nbt-dh-d", 34, tmp_path) as link:
        missing = link.netblame("dns", "probe", "eth9")
        no_root = link.netblame("dns", "probe", "eth0", user="65534")
        silent = link.netblame("dns", "probe", "eth0", "--timeout", "1")
        link.in_client("ip", "link", "set", "eth0", "down", check=True)
        down = link.netblame("dns", "probe", "eth0")
    assert missing.returncode == 2 and "no network interface named 'eth9'" in missing.stderr
    assert no_root.returncode == 2 and "needs root" in no_root.stderr
    assert silent.returncode == 1 and "no DHCP server answered on eth0 within 1 s" in silent.stderr
    assert down.returncode == 2 and "interface eth0 is down" in down.stderr
    for done in (missing, no_root, silent, down):
        assert "Traceback" not in done.stderr and done.stderr.count("netblame:") == 1
