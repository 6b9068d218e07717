"""The hand-off's host-firewall requirement is decided by the node's own packet filters, run through the
dataplane's netfilter evaluator: a ruleset that drops the overlay's port is not met (naming the rule), one
that leaves it alone is met, an unsimulated match is unknown, and without a ruleset it stays unknown."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from netblame.api.handoff import HandoffOptions, handoff_of
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.model.snapshot import Snapshot
from netblame.underlay.handoff import Handoff, Status

FILTER = "*filter\n:INPUT {policy} [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n{rules}COMMIT\n"


def _filters(policy: str, rules: str) -> Callable[[Data], None]:
    def tweak(data: Data) -> None:
        host(data, 2)["netfilter"] = {"iptables": [{"backend": "nft", "family": 4,
                                                    "text": FILTER.format(policy=policy, rules=rules)}]}
    return tweak


def _handoff(*tweaks: Callable[[Data], None], cni: str = "flannel") -> Handoff:
    snap = msgspec.json.decode(two_nodes(*tweaks), type=Snapshot)
    return handoff_of(snapshot=snap, options=HandoffOptions(cni=cni, routing="vxlan"))


def _fw(h: Handoff, node: str) -> dict[str, Status]:
    return {s.requirement: s for s in h.checks if s.node == node and s.requirement.startswith("host firewall")}


def test_a_ruleset_that_drops_the_vxlan_port_is_not_met_and_names_the_rule() -> None:
    h = _handoff(_filters("ACCEPT", "-A INPUT -p udp -m udp --dport 8472 -j DROP\n"))
    s = _fw(h, "n2")["host firewall: UDP 8472"]
    assert s.state == "not met"
    assert "-A INPUT -p udp -m udp --dport 8472 -j DROP" in s.detail and "filter/INPUT" in s.detail
    assert s.rule == "NB309"
    assert s.fix is not None and "--dport 8472 -j ACCEPT" in s.fix
    assert _fw(h, "n2")["host firewall: TCP 10250"].state == "met"  # the rule drops only the overlay


def test_a_ruleset_that_leaves_the_ports_alone_is_met() -> None:
    h = _handoff(_filters("ACCEPT", "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"))
    fw = _fw(h, "n2")
    assert fw and all(s.state == "met" for s in fw.values())
    assert all(s.state != "not met" for s in h.checks if s.requirement.startswith("host firewall"))


def test_a_drop_policy_is_not_met_for_every_port_the_rules_do_not_accept() -> None:
    h = _handoff(_filters("DROP", "-A INPUT -p udp -m udp --dport 8472 -j ACCEPT\n"))
    fw = _fw(h, "n2")
    assert fw["host firewall: UDP 8472"].state == "met"
    kubelet = fw["host firewall: TCP 10250"]
    assert kubelet.state == "not met" and "policy DROP of filter/INPUT" in kubelet.detail
    api = fw["host firewall: TCP 6443"]  # only the control plane listens there: which node that is, is not known
    assert api.state == "unknown" and "control plane" in api.detail


def test_an_unsimulated_match_is_unknown_and_named() -> None:
    rule = "-A INPUT -m owner --uid-owner 0 -j DROP"
    h = _handoff(_filters("ACCEPT", rule + "\n"))
    s = _fw(h, "n2")["host firewall: UDP 8472"]
    assert s.state == "unknown" and rule in s.detail


def test_without_a_ruleset_the_firewall_stays_unknown() -> None:
    h = _handoff()
    fw = _fw(h, "n1")
    assert list(fw) == ["host firewall"] and fw["host firewall"].state == "unknown"


NFT_DROP_VXLAN = {"nftables": [
    {"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
    {"table": {"family": "inet", "name": "fw", "handle": 1}},
    {"chain": {"family": "inet", "table": "fw", "name": "input", "handle": 2, "type": "filter", "hook": "input",
               "prio": 0, "policy": "accept"}},
    {"rule": {"family": "inet", "table": "fw", "chain": "input", "handle": 3, "expr": [
        {"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": 8472}},
        {"drop": None}]}},
]}


def _nft(data: Data) -> None:
    host(data, 2)["netfilter"] = {"nft": msgspec.json.encode(NFT_DROP_VXLAN).decode()}


def test_an_nftables_drop_is_named_with_an_nft_fix() -> None:
    s = _fw(_handoff(_nft), "n2")["host firewall: UDP 8472"]
    assert s.state == "not met" and "inet fw/input" in s.detail
    assert s.fix is not None and "nft insert rule inet fw input udp dport 8472 accept" in s.fix
