"""The node rules route with the trace model's FIB and reverse-path filter: a multipath route back
that includes the arrival device satisfies strict rp_filter, and a route or rule whose addresses do not
parse is left out by both the rules and the trace instead of crashing them."""

from __future__ import annotations

import json
from collections.abc import Callable

from netblame.checks import default_registry
from netblame.checks.node.examples import Data, base, host
from netblame.checks.node.nb305_rp_filter_strict_asymmetric import _asymmetric
from netblame.dataplane import Flow, trace
from netblame.findings import Finding
from netblame.model.snapshot import Snapshot
from netblame.sources.snapshot import decode_snapshot


def snapshot(*tweaks: Callable[[Data], None]) -> Snapshot:
    data = base()
    for tweak in tweaks:
        tweak(data)
    return decode_snapshot(json.dumps(data))


def run(rule: str, snap: Snapshot) -> list[Finding]:
    registered = default_registry().get(rule)
    assert registered is not None
    return list(registered.run(snap))


def _multipath_back(data: Data) -> None:
    """n2's route back to n1's pods spreads over the router and the overlay device traffic arrives on."""
    n2 = host(data, 2)
    n2["routes"] = [r for r in n2["routes"] if r["dst"] != "10.244.1.0/24"] + [
        {"family": 4, "table": "main", "type": "unicast", "dst": "10.244.1.0/24",
         "nexthops": [{"gateway": "172.31.0.1", "dev": "rtr0"}, {"gateway": "10.244.1.0", "dev": "flannel.1",
                                                                  "onlink": True}]}]


def test_nb305_a_multipath_route_back_through_the_arrival_device_passes_strict_mode() -> None:
    assert len(run("NB305", snapshot(_asymmetric))) == 1
    assert run("NB305", snapshot(_asymmetric, _multipath_back)) == []


def _garbage(data: Data) -> None:
    n1 = host(data, 1)
    n1["routes"].append({"family": 4, "table": "main", "type": "blackhole", "dst": "10.244.2.0/99"})
    n1["rules"] = [{"family": 4, "priority": 0, "action": "lookup", "table": "local", "dst": "not-an-address"},
                   {"family": 4, "priority": 32766, "action": "lookup", "table": "main"}]


def test_unparseable_routes_and_rules_are_left_out() -> None:
    snap = snapshot(_garbage)
    for rule in ("NB301", "NB302", "NB305", "NB308"):
        assert run(rule, snap) == [], rule
    flow = Flow(start="n1", dst="10.244.2.2", proto="icmp")
    assert trace(snap, flow).disposition == trace(snapshot(), flow).disposition
