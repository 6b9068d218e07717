"""Map tests draw real labs: one lab of each style is built per test session (root only), collected,
and torn down at the end even when a test failed. The vxlan lab carries the ip-forward-off fault on n2,
so its snapshot has a finding (NB304) and a trace that dies."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.lab.lab_oracle import lab_name

from netblame import lab
from netblame.live.run import collect_snapshot
from netblame.model.snapshot import Snapshot

STYLES = ("vxlan", "routed", "host-routes")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "map"


@pytest.fixture(scope="session")
def lab_snapshots() -> Iterator[dict[str, Snapshot]]:
    """style -> snapshot of a real 3-node lab of that style (vxlan: with ip-forward-off on n2)."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    built: list[str] = []
    try:
        out = {}
        for style in STYLES:
            name = lab_name(f"ltm{style[0]}")
            built.append(name)
            lab.up(lab.LabSpec(name=name, style=style))  # type: ignore[arg-type]
            if style == "vxlan":
                lab.fault(name, "ip-forward-off", node="n2")
            out[style], _ = collect_snapshot(lab=name)
        yield out
    finally:
        for name in built:
            lab.down(name)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
