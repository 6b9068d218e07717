"""The story's plan: --pod-cidr 172.16.0.0/24 with a /24 node mask and 4 nodes. Built as a real cluster
would be: only the first node gets a pod range; the others get no pods and no routes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest
from lab_oracle import lab_name, ping

from netblame import lab
from netblame.lab.state import LabState

pytestmark = pytest.mark.root


def test_slash24_story_lab(build_lab: Callable[..., LabState]) -> None:
    state = build_lab(name=lab_name("lts"), pod_cidr="172.16.0.0/24", node_mask=24, nodes=4)
    assert [(n.name, n.pod_cidr) for n in state.nodes] == [
        ("n1", "172.16.0.0/24"), ("n2", None), ("n3", None), ("n4", None)]
    assert {p.node for p in state.pods} == {"n1"} and len(state.pods) == 2
    p1, p2 = state.pods
    assert p2.ip is not None and ping(p1.namespace, p2.ip)
    for node in state.nodes[1:]:
        routes = json.loads(subprocess.run(["ip", "-j", "-n", node.namespace, "route"], capture_output=True,
                                           text=True, check=True).stdout)
        assert [r["dst"] for r in routes] == ["198.18.0.0/24"]  # no pod routes, no overlay
    status = lab.status(state.name)
    assert [n.pods for n in status.nodes] == [2, 0, 0, 0]
    assert all("no pod range" in n.note for n in status.nodes[1:])
    # n1's pods cannot reach anything on the other nodes: there is nothing there to reach
    assert status.reachability == [] and status.summary == "ok"
