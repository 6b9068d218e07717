"""Collect a lab with each fault applied and check that the matching NB3xx rule names it; a healthy lab
(before and after) has no NB3xx finding at all."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lab_oracle import lab_name

from netblame import lab
from netblame.checks import run_rules
from netblame.findings import Finding
from netblame.lab.state import LabState
from netblame.live.run import collect_snapshot

pytestmark = pytest.mark.root

STYLE_LABS = {"vxlan": ("ltnv", "bridge"), "routed": ("ltnr", "ptp"), "host-routes": ("ltnh", "bridge")}
RULE_OF = {"underlay-mtu": "NB301", "no-pod-range": "NB302", "missing-route": "NB302", "ip-forward-off": "NB304",
           "rp-filter-strict": "NB305", "overlapping-pod-ranges": "NB306", "wrong-vxlan-fdb": "NB307",
           "blackhole-route": "NB308", "firewall-drops-tunnel": "NB309", "forward-policy-drop": "NB310",
           "service-no-endpoints": "NB311"}
# What else a fault really breaks: taking a node's range (or giving it another's) also removes the
# VXLAN FDB entries for it, which NB307 reports on the nodes that lost them.
ALSO = {("vxlan", "no-pod-range"): {"NB307"}, ("vxlan", "overlapping-pod-ranges"): {"NB307"}}
CASES = [(style, fault) for style in STYLE_LABS for fault in lab.FAULTS if style in lab.FAULTS[fault].styles]


def node_findings(name: str) -> list[Finding]:
    snapshot, _ = collect_snapshot(lab=name)
    found = run_rules([snapshot]).findings
    return [f for f in found if f.rule.startswith("NB3")]


@pytest.fixture(scope="module")
def style_lab(request: pytest.FixtureRequest, build_lab: Callable[..., LabState]) -> LabState:
    name, cni = STYLE_LABS[request.param]
    built = build_lab(name=lab_name(name), style=request.param, cni=cni)
    assert node_findings(built.name) == []  # healthy: clean of NB3xx
    return built


def test_every_fault_has_a_rule() -> None:
    assert set(RULE_OF) == set(lab.FAULTS)


@pytest.mark.parametrize(("style_lab", "fault"), CASES, ids=[f"{s}-{f}" for s, f in CASES], indirect=["style_lab"])
def test_rule_names_the_fault(style_lab: LabState, fault: str) -> None:
    name = style_lab.name
    try:
        lab.fault(name, fault, node="n2")
        found = node_findings(name)
    finally:
        lab.heal(name)
    rule = RULE_OF[fault]
    assert any(f.rule == rule and str(f.location.object).startswith("node n2") for f in found), \
        [(f.rule, f.location.object, f.message) for f in found]
    assert {f.rule for f in found} - {rule} <= ALSO.get((style_lab.style, fault), set()), \
        [(f.rule, f.location.object, f.message) for f in found]
    assert node_findings(name) == []  # healed: clean again
