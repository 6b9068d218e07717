"""A lab built from a plan (``lab up --pod-cidr ... --node-mask ...``) serves pod-to-pod traffic on every
node: a few random plans, each built for real and torn down."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lab_oracle import broken_pairs, lab_name

from netblame import lab
from netblame.plan.propose import CNIS, PlanRequest, make_plan

pytestmark = pytest.mark.root
COUNTER = itertools.count()


def _serve(req: PlanRequest, lan: str, style: str) -> None:
    plan = make_plan(req)
    fam = plan.primary
    name = lab_name(f"lp{next(COUNTER)}")
    try:
        state = lab.up(lab.LabSpec(name=name, style=style, nodes=req.nodes, pods_per_node=1, lan_cidr=lan,  # type: ignore[arg-type]
                                   pod_cidr=str(fam.pod_cidr), node_mask=fam.node_mask))
        assert all(n.pod_cidr is not None for n in state.nodes)
        assert broken_pairs(state) == set()
    finally:
        lab.down(name)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=st.integers(min_value=2, max_value=4), growth=st.integers(min_value=0, max_value=600),
       third=st.integers(min_value=0, max_value=255), cni=st.sampled_from(CNIS),
       style=st.sampled_from(["vxlan", "host-routes"]))
def test_a_lab_built_from_a_plan_serves_every_node(nodes: int, growth: int, third: int, cni: str, style: str) -> None:
    lan = f"192.168.{third}.0/24"
    _serve(PlanRequest(nodes=nodes, growth=growth, lan=(lan,), cni=cni), lan, style)


def test_the_story_plan_serves_a_lab() -> None:
    """netblame plan --nodes 4 --lan 192.168.1.0/24 --cni cilium, built as a lab on that LAN."""
    _serve(PlanRequest(nodes=4, lan=("192.168.1.0/24",), cni="cilium"), "192.168.1.0/24", "vxlan")
