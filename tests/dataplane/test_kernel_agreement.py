"""The model against the kernel: for every lab style, healthy and with every fault the style supports,
random probes (fixed seed) are predicted from a fresh snapshot and then sent for real; verdict and
device path must agree every time. The tally is printed as the run's last line (conftest.py)."""

from __future__ import annotations

import os
import random
import time
import zlib
from collections.abc import Iterator

import pytest
from tests.dataplane.harness import Outcome, draw, lab_name, run_probes

from netblame import lab
from netblame.collect.run import collect_snapshot
from netblame.lab import firewall
from netblame.model.snapshot import Snapshot

pytestmark = pytest.mark.root

PROBES_PER_STATE = 20
# States that install packet filters (probes there stay unfragmented; see harness.SIZES_UNFRAGMENTED).
FILTERING = {"firewall-drops-tunnel", "forward-policy-drop", "service-no-endpoints", "service", "service-nft"}
LABS = {"vxlan": lab_name("trvx"), "routed": lab_name("trbgp"), "host-routes": lab_name("trhr")}


def _state(snap: Snapshot) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """What must hold still before probing: every route and every device's state."""
    return [(ns.id, tuple(sorted(f"{r.table} {r.type} {r.dst} {r.gateway} {r.dev}" for r in ns.routes)),
             tuple(sorted(f"{lk.name} {lk.admin_up} {lk.oper_state} {lk.mtu}" for lk in ns.links)))
            for node in snap.nodes for ns in node.namespaces]


def settled_snapshot(name: str, style: str) -> Snapshot:
    """A snapshot once routes and device states stop changing (BGP needs a moment after a fault or a heal;
    re-attached pods' devices come up a moment after the CNI plugin returns)."""
    snap, _ = collect_snapshot(lab=name)
    pause = 1.0 if style == "routed" else 0.2
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(pause)
        again, _ = collect_snapshot(lab=name)
        if _state(again) == _state(snap):
            return again
        snap = again
    return snap


@pytest.fixture(scope="module", params=sorted(LABS))
def style_lab(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    style = str(request.param)
    name = LABS[style]
    lab.down(name)
    try:
        lab.up(lab.LabSpec(name=name, style=style))  # type: ignore[arg-type]
        yield style, name
    finally:
        lab.down(name)


def _report(outcomes: list[Outcome]) -> str:
    lines = []
    for o in outcomes:
        if not o.agree:
            p = o.probe
            bound = f" bound to {p.bind_addr or p.bind_dev}" if p.bind_addr or p.bind_dev else ""
            lines.append(f"{p.src_label}{bound} -> {p.dst}:{p.port} ({p.dst_label}) {p.size} bytes "
                         f"{'DF' if p.df else 'no DF'}\n"
                         f"    model:  {o.model}\n    kernel: {o.kernel}")
    return "\n".join(lines)


def _targets(name: str, state: str | None) -> list[tuple[str, str, int]]:
    """Service addresses worth aiming at in a state: the ClusterIP and every node's NodePort, or the Service
    without endpoints."""
    if state == "service-no-endpoints":
        return [(firewall.EMPTY_IP, "Service without endpoints", firewall.PORT)]
    if state not in ("service", "service-nft"):
        return []
    nodes = lab.load(name).nodes
    return [(firewall.CLUSTER_IP, "ClusterIP", firewall.PORT)] + [
        (n.uplink_ip, f"NodePort on {n.name}", firewall.NODE_PORT) for n in nodes]


def _enter_state(name: str, state: str | None) -> None:
    if state in ("service", "service-nft"):
        firewall.service_add(name, "nftables" if state == "service-nft" else "iptables")
    elif state is not None:
        lab.fault(name, state)


def _leave_state(name: str, state: str | None) -> None:
    if state in ("service", "service-nft"):
        firewall.service_remove(name)
    elif state is not None:
        lab.heal(name, state)


def test_model_agrees_with_the_kernel(style_lab: tuple[str, str]) -> None:
    style, name = style_lab
    faults = [f for f, kind in lab.FAULTS.items() if style in kind.styles]
    outcomes: list[Outcome] = []
    for state in [None, *faults, "service", "service-nft"]:
        _enter_state(name, state)
        try:
            snap = settled_snapshot(name, style)
            rng = random.Random(zlib.crc32(f"{style}/{state}".encode()))
            probes = draw(snap, rng, PROBES_PER_STATE, _targets(name, state), filtered=state in FILTERING)
            outcomes += run_probes(snap, probes, lambda: collect_snapshot(lab=name)[0])
        finally:
            _leave_state(name, state)
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
