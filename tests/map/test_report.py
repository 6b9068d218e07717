"""The report and the terminal map on real lab snapshots, and the CLI's bad-input paths."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from netblame.api.snapshot import save_snapshot
from netblame.checks import default_registry
from netblame.model.snapshot import Snapshot
from netblame.render.map_text import WIDTH, render_map_text
from netblame.render.report_page import render_report_html, render_report_md
from netblame.summary import summarize
from netblame.topology import topology

from .conftest import STYLES

ROOT = Path(__file__).resolve().parents[2]


def netblame(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netblame", *args], capture_output=True, text=True, check=False,
                          cwd=ROOT)


def test_every_rule_has_an_audience() -> None:
    for rule in default_registry():
        assert rule.meta.who in ("network", "node", "cluster config")
        if rule.meta.audience is None:
            expected = {"1": "cluster config", "2": "node", "3": "node", "4": "cluster config", "5": "network"}
            assert rule.meta.who == expected[rule.meta.id[2]]


def test_report_on_config_only_names_the_cluster_config() -> None:
    s = summarize([str(ROOT / "examples/pi-cluster")])
    assert s.verdict.side == "cluster config"
    assert "NB101" in s.verdict.sentence
    assert dict(s.by_audience)["cluster config"][0].rule == "NB101"
    assert ("pod range", "172.16.0.0/24") in {(a, b) for a, b, _ in s.plan}
    md = render_report_md(s)
    assert md.startswith("# netblame report")
    assert "NB101" in md and "| pod range | 172.16.0.0/24 |" in md
    html = render_report_html(s)
    assert 'id="verdict"' in html and "@media print" in html and 'id="handoff"' in html


def test_report_carries_the_handoff_of_its_own_inputs() -> None:
    """The hand-off section is what `netblame handoff` says for the same files: the Cilium VXLAN port
    and the pod MTU it leaves, in both variants; without cluster files or a snapshot it stays empty."""
    s = summarize([str(ROOT / "examples/pi-cluster")])
    assert s.handoff is not None and s.handoff.inputs.cni == "cilium"
    assert any(p.protocol.upper() == "UDP" and str(p.port) == "8472" for p in s.handoff.ports)
    html = render_report_html(s)
    section = html.split('id="handoff"', 1)[1]
    assert "UDP 8472" in section and f"pod MTU {s.handoff.mtu.pod_mtu}" in section
    md = render_report_md(s).split("## Hand-off to the network", 1)[1]
    assert "UDP 8472" in md and md.lstrip().startswith("```")
    empty = summarize([str(ROOT / "tests/data/dns/roots/debian-12-fixed/etc/resolv.conf")])
    assert empty.handoff is None
    assert "Nothing for the network side yet" in render_report_md(empty)


def test_fixed_cluster_points_nowhere() -> None:
    s = summarize([str(ROOT / "examples/pi-cluster-fixed")])
    assert s.verdict.side == "none"


@pytest.mark.root
@pytest.mark.parametrize("style", STYLES)
def test_terminal_map_fits_80_columns_and_names_everything(lab_snapshots: dict[str, Snapshot], style: str) -> None:
    snap = lab_snapshots[style]
    text = render_map_text(topology(snap))
    assert all(len(line) <= WIDTH for line in text.splitlines())
    for node in snap.nodes:
        assert re.search(rf"^(node|network) {re.escape(node.name)}\b", text, re.M)
        for ns in node.namespaces:
            if ns.pod:
                assert f"pod {ns.pod}:" in text


@pytest.mark.root
def test_report_verdict_on_a_broken_lab(lab_snapshots: dict[str, Snapshot], tmp_path: Path) -> None:
    snap = lab_snapshots["vxlan"]  # ip-forward-off on n2
    s = summarize(snapshot=snap, traces=[("n1-p1", "n2-p1")])
    assert s.verdict.side == "node"
    assert "NB304" in s.verdict.sentence
    assert not s.traces[0].delivered
    path = tmp_path / "lab.json"
    save_snapshot(snap, path)
    done = netblame("report", "--snapshot", str(path), "--trace", "n1-p1", "n2-p1", "-o", "md")
    assert done.returncode == 0, done.stderr
    assert "FORWARDING\\_DISABLED" in done.stdout or "FORWARDING_DISABLED" in done.stdout
    out = tmp_path / "map.html"
    done = netblame("map", "--snapshot", str(path), "-o", "html", "--out", str(out))
    assert done.returncode == 0 and out.read_text().startswith("<!DOCTYPE html>")


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "netblame/snapshot/v1", "nodes": 3}')
    for args in (("map", "--snapshot", str(bad)), ("report", "--snapshot", str(bad))):
        done = netblame(*args)
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and str(bad) in lines[0], lines
    for args in (("map",), ("report", "--trace", "a", "b", str(ROOT / "examples/pi-cluster"))):
        done = netblame(*args)  # usage errors: the usage line, then one "Error:" line
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr and done.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not list(tmp_path.glob(".netblame-*"))


def test_help() -> None:
    for cmd in ("map", "report"):
        done = netblame(cmd, "--help")
        assert done.returncode == 0 and "Examples:" in done.stdout


@pytest.mark.parametrize("command", [["map", "-o", "html"], ["report"]])
def test_out_to_a_fifo_writes_through_it_and_a_file_is_readable(command: list[str], tmp_path: Path) -> None:
    """--out shares collect's writer: a FIFO (or /dev/null) is written through, never replaced by a file,
    and a regular file is written whole, readable by others (a page meant to be shared)."""
    import os
    import stat
    import threading

    snap = str(ROOT / "examples/snapshots/vxlan-two-nodes.json")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    done = netblame(*command, "--snapshot", snap, "--out", str(fifo))
    reader.join(timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and got and got[0].startswith(b"<!DOCTYPE html>")
    page = tmp_path / "page.html"
    done = netblame(*command, "--snapshot", snap, "--out", str(page))
    assert done.returncode in (0, 1), done.stderr
    assert page.read_bytes().startswith(b"<!DOCTYPE html>") and stat.S_IMODE(page.stat().st_mode) == 0o644
