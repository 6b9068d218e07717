"""``choose``'s "network" cells and ``handoff``'s port lists come from one table: for every CNI the ports
choose's cell names (read back from its text, as the JSON shows it) are exactly the ports handoff lists
for that CNI over every data path, encryption and option it has."""

from __future__ import annotations

import re

import pytest

from netblame.choose import CANDIDATES
from netblame.choose.model import Candidate
from netblame.underlay.handoff import HandoffInput, make_handoff
from netblame.underlay.ports import FEATURES, distribution_ports

# Every data path (the model's routing words) each CNI can run, and the encryptions it offers.
ROUTINGS = {"cilium": ("vxlan", "geneve", "native"), "calico": ("ipip", "vxlan", "none", "ipip-crosssubnet"),
            "flannel": ("vxlan", "host-gw", "wireguard-native"), "kube-router": ("none",),
            "antrea": ("geneve", "vxlan")}
ENCRYPTIONS = (None, "wireguard")
_ITEM = re.compile(r"^(TCP|UDP|ICMP|IPIP|ESP)(?: (\d[\d/-]*))? ")


def _choose_ports(c: Candidate) -> set[tuple[str, str | None]]:
    out = set()
    for item in c.network.value:
        match = _ITEM.match(item)
        assert match, f"{c.key}: {item!r} does not start with a protocol and port"
        out.add((match.group(1).lower(), match.group(2)))
    return out


def _cni_of(c: Candidate) -> str:
    return "flannel" if c.key == "k3s-flannel" else c.key


def _handoff_ports(c: Candidate) -> set[tuple[str, str | None]]:
    cni, distribution = _cni_of(c), c.distribution or "kubeadm"
    seen: set[tuple[str, str | None]] = set()
    for routing in ROUTINGS[cni]:
        for encryption in ENCRYPTIONS:
            h = make_handoff(HandoffInput(distribution=distribution, cni=cni, routing=routing, encryption=encryption,
                                          features=FEATURES))
            seen |= {(p.protocol, p.port) for p in h.ports}
    if c.distribution is None:  # choose shows only the CNI's own needs when it does not come with a distribution
        seen -= {(p.protocol, p.port) for p in distribution_ports(distribution)}
    return seen


@pytest.mark.parametrize("candidate", CANDIDATES, ids=[c.key for c in CANDIDATES])
def test_choose_and_handoff_list_the_same_ports(candidate: Candidate) -> None:
    assert _choose_ports(candidate) == _handoff_ports(candidate)
    assert candidate.network.source  # the cell keeps its citation


def test_an_option_only_choose_knows_of_is_listed_by_handoff_when_asked() -> None:
    plain = make_handoff(HandoffInput(cni="cilium", routing="vxlan"))
    hubble = make_handoff(HandoffInput(cni="cilium", routing="vxlan", features=frozenset({"hubble"})))
    assert ("tcp", "4244") not in {(p.protocol, p.port) for p in plain.ports}
    assert ("tcp", "4244") in {(p.protocol, p.port) for p in hubble.ports}
