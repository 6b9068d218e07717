"""The story's node, built from the real software: netplan without use-domains, systemd-networkd,
systemd-resolved and dnsmasq offering `lab` by option 119 (and home.arpa by option 15).

Real networkd does not even request option 119 unless UseDomains is on, so the link has no search
domains and resolved writes `search .`; netplan's `dhcp4-overrides: {use-domains: true}`, rendered by
real netplan and run by real networkd, gives the link its search domains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dhcplab import Link, dhcp_link
from realnode import NETPLAN_FILE, build_node

pytestmark = pytest.mark.root

STORY_YAML = """network:
  version: 2
  renderer: networkd
  ethernets:
    eth0:
      dhcp4: true
"""
FIXED_YAML = STORY_YAML + """      dhcp4-overrides:
        use-domains: true
"""


def requests(log: str) -> list[str]:
    """The option lists dnsmasq logged per client request ("requested options: ...")."""
    found: list[str] = []
    for line in log.splitlines():
        if "requested options:" in line:
            part = line.split("requested options:", 1)[1].strip()
            if part.startswith("1:"):
                found.append(part)
            else:
                found[-1] += " " + part
    return found


def diagnose(link: Link, root: Path) -> tuple[int, dict[str, Any]]:
    """`netblame dns --root ROOT --probe eth0` in the client namespace, against the same dnsmasq."""
    done = link.netblame("dns", "--root", str(root), "--probe", "eth0", "--probe-timeout", "15", "-o", "json")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_story_node_and_its_fix(tmp_path: Path) -> None:
    with dhcp_link("nbt-dh-n", 40, tmp_path) as link:
        log = link.dnsmasq("--domain=home.arpa", "--dhcp-option=option:domain-search,lab,home.arpa",
                           f"--dhcp-option=option:dns-server,{link.ip(1)}")
        node = build_node(link, tmp_path / "story", STORY_YAML)
        story_requests = requests(log.read_text())
        with (node.root / "run/systemd/resolve/stub-resolv.conf").open("a") as stub:
            stub.write("UseDomains=true\n")  # the popular advice
        story_exit, story = diagnose(link, node.root)
        probed = link.probe_json("--root", str(node.root), "--timeout", "5")

        # apply the printed fix to the node's netplan YAML; real netplan and networkd do the rest
        nb201 = next(f for f in story["findings"] if f["rule"] == "NB201")
        assert "dhcp4-overrides" in nb201["fix"] and "use-domains: true" in nb201["fix"]
        assert NETPLAN_FILE in nb201["fix"] and "netplan apply" in nb201["fix"]
        fixed = build_node(link, tmp_path / "fixed", FIXED_YAML)
        fixed_requests = requests(log.read_text())[len(story_requests):]
        fixed_exit, after = diagnose(link, fixed.root)

    # netblame's verdict on the story node: NB201 (the probe saw `lab`, the link has none) and NB202
    assert story_exit == 1
    assert {"NB201", "NB202"} <= {f["rule"] for f in story["findings"]}
    assert "lab" in nb201["message"]
    nb202 = next(f for f in story["findings"] if f["rule"] == "NB202")
    assert nb202["location"]["file"].endswith("run/systemd/resolve/stub-resolv.conf")
    # the probe itself: what dnsmasq offers, and that this node would not use the search list
    (offer,) = probed["offers"]
    assert offer["search_domains"] == ["lab", "home.arpa"] and offer["domain_name"] == "home.arpa"
    assert probed["host"]["uses"]["119"]["use"] == "no" and probed["host"]["uses"]["6"]["use"] == "yes"
    # after the fix: no NB201, nothing at error level
    assert fixed_exit == 0 and "NB201" not in {f["rule"] for f in after["findings"]}

    # the story: 119 never asked for, so never sent; the link has no search domains
    assert "UseDomains" not in node.network_file()
    assert story_requests and not any("119:domain-search" in r for r in story_requests)
    lease = node.lease()
    assert lease["DOMAINNAME"] == "home.arpa" and "DOMAIN_SEARCH_LIST" not in lease
    assert node.link_state()["DOMAINS"] == ""
    for name in ("resolv.conf", "stub-resolv.conf"):
        assert "search .\n" in node.resolved(name)

    # the fix, rendered by netplan into the legacy [DHCP] section (netplan's src/networkd.c)
    assert "[DHCP]\n" in fixed.network_file() and "UseDomains=true" in fixed.network_file()
    assert fixed_requests and all("119:domain-search" in r for r in fixed_requests)
    assert fixed.lease()["DOMAIN_SEARCH_LIST"].split() == ["lab", "home.arpa"]
    assert set(fixed.link_state()["DOMAINS"].split()) == {"home.arpa", "lab"}
    for name in ("resolv.conf", "stub-resolv.conf"):
        assert "search home.arpa lab\n" in fixed.resolved(name)
