"""The hand-off's DHCP advice is proven against a real server: dnsmasq runs with the lines ``handoff`` wrote
for the nodes' search domains, and the probe sees exactly those domains in options 15 and 119."""

from __future__ import annotations

from pathlib import Path

import pytest
from dhcplab import dhcp_link

from netblame.underlay.handoff import HandoffInput, make_handoff
from netblame.underlay.router import snippets

pytestmark = pytest.mark.root
SEARCH = ("home.arpa", "lab.home.arpa", "k8s.lab.home.arpa")


def test_dnsmasq_with_the_handoff_lines_offers_the_search_domains(tmp_path: Path) -> None:
    lines = snippets(make_handoff(HandoffInput(cni="flannel", search_domains=SEARCH)))["dnsmasq.conf"].splitlines()
    assert lines == ["domain=home.arpa", "dhcp-option=option:domain-search,home.arpa,lab.home.arpa,k8s.lab.home.arpa"]
    with dhcp_link("nbt-ho", 41, tmp_path) as link:
        link.dnsmasq(*(f"--{line}" for line in lines))
        result = link.probe_json()
    offer = result["offers"][0]
    assert offer["domain_name"] == "home.arpa"
    assert offer["search_domains"] == list(SEARCH)
