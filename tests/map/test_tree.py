"""The terminal tree written straight from a snapshot is line for line the one drawn from the whole graph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from netblame.api.check import check
from netblame.model.snapshot import Snapshot
from netblame.render.map_text import render_map_text
from netblame.sources.snapshot import load_snapshot
from netblame.topology import topology
from netblame.topology.tree import tree_text

from .conftest import STYLES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/snapshots/vxlan-two-nodes.json"


def _same_both_ways(snap: Snapshot, findings: tuple[object, ...] = ()) -> str:
    graph = topology(snap, findings)  # type: ignore[arg-type]
    text = tree_text(snap, findings)  # type: ignore[arg-type]
    assert text == render_map_text(graph)
    for node in snap.nodes:
        assert tree_text(snap, findings, node.name) == render_map_text(graph, node.name)  # type: ignore[arg-type]
    return text


def test_example_snapshot_tree_matches_the_graph() -> None:
    text = _same_both_ways(load_snapshot(EXAMPLE))
    assert "tunnel to n2 (flannel.1)" in text and "pod n1-p1: eth0 10.244.0.2" in text


def test_cli_prints_the_tree() -> None:
    snap = load_snapshot(EXAMPLE)
    done = subprocess.run([sys.executable, "-m", "netblame", "map", "--no-findings", "--snapshot", str(EXAMPLE)],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip("\n") == render_map_text(topology(snap)).strip("\n")
    node = snap.nodes[-1].name
    done = subprocess.run([sys.executable, "-m", "netblame", "map", "--snapshot", str(EXAMPLE), "--node", node],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip("\n") == render_map_text(topology(snap), node).strip("\n")


@pytest.mark.root
@pytest.mark.parametrize("style", STYLES)
def test_lab_tree_matches_the_graph_with_findings(lab_snapshots: dict[str, Snapshot], style: str) -> None:
    snap = lab_snapshots[style]
    findings = tuple(check([], extra=[snap]).findings)
    text = _same_both_ways(snap, findings)
    if style == "vxlan":  # ip-forward-off on n2: the finding is printed in n2's tree
        assert "NB304" in text
