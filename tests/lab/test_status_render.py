"""The human view of ``lab status``: a pure rendering of a LabStatus (no namespaces needed)."""

from __future__ import annotations

from rich.console import Console

from netblame.lab.overview import LabStatus, NodeStatus, Probe
from netblame.lab.state import FaultState
from netblame.render.lab_status import render


def test_render_shows_nodes_faults_and_reachability() -> None:
    status = LabStatus(
        name="demo", style="vxlan", cni="bridge", pod_cidr="10.244.0.0/16", node_mask=24, complete=True,
        nodes=[NodeStatus(name="n1", namespace="nb-demo-n1", present=True, uplink_ip="198.18.0.1",
                          pod_cidr="10.244.0.0/24", pods=2),
               NodeStatus(name="n2", namespace="nb-demo-n2", present=True, uplink_ip="198.18.0.2",
                          pod_cidr="10.244.1.0/24", pods=2)],
        pods=[], faults=[FaultState(name="missing-route", node="n2", peer="n1", detail="route deleted")],
        reachability=[Probe(src="n1", dst="n2", src_pod="n1-p1", dst_ip="10.244.1.2", ok=True),
                      Probe(src="n2", dst="n1", src_pod="n2-p1", dst_ip="10.244.0.2", ok=False)],
    )
    console = Console(record=True, width=120)
    render(status, console)
    text = console.export_text()
    assert "lab demo: style vxlan" in text
    assert "nb-demo-n2" in text
    assert "fault missing-route on n2: route deleted" in text
    assert "FAIL" in text and "ok" in text
