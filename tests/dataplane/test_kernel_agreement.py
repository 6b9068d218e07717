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
from netblame.model.snapshot import Snapshot

pytestmark = pytest.mark.root

PROBES_PER_STATE = 10
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
            lines.append(f"{p.src_label} -> {p.dst} ({p.dst_label}) {p.size} bytes {'DF' if p.df else 'no DF'}\n"
                         f"    model:  {o.model}\n    kernel: {o.kernel}")
    return "\n".join(lines)


def test_model_agrees_with_the_kernel(style_lab: tuple[str, str]) -> None:
    style, name = style_lab
    faults = [f for f, kind in lab.FAULTS.items() if style in kind.styles]
    outcomes: list[Outcome] = []
    for fault in [None, *faults]:
        if fault is not None:
            lab.fault(name, fault)
        try:
            snap = settled_snapshot(name, style)
            rng = random.Random(zlib.crc32(f"{style}/{fault}".encode()))
            outcomes += run_probes(snap, draw(snap, rng, PROBES_PER_STATE), lambda: collect_snapshot(lab=name)[0])
        finally:
            if fault is not None:
                lab.heal(name, fault)
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
