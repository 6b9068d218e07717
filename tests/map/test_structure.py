"""DOT, SVG and Mermaid checked structurally on real lab snapshots of each style: every device, veth
pair, bridge port and tunnel is there, and no edge dangles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from netblame.model.snapshot import Snapshot
from netblame.render.map_dot import render_dot, render_svg
from netblame.render.map_mermaid import render_mermaid
from netblame.topology import topology
from netblame.topology.model import dev_id

from .conftest import STYLES

pytestmark = pytest.mark.root


def expected(snapshot: Snapshot) -> tuple[set[str], set[frozenset[str]], set[frozenset[str]]]:
    """Devices, veth pairs and bridge ports, straight from the snapshot."""
    devices, veths, ports = set(), set(), set()
    for node in snapshot.nodes:
        for ns in node.namespaces:
            for lk in ns.links:
                if lk.kind == "loopback":
                    continue
                devices.add(dev_id(ns.id, lk.name))
                if lk.peer is not None:
                    veths.add(frozenset((dev_id(ns.id, lk.name), dev_id(lk.peer.namespace, lk.peer.ifname))))
                if lk.master:
                    ports.add(frozenset((dev_id(ns.id, lk.name), dev_id(ns.id, lk.master))))
    return devices, veths, ports


def dot_edges(text: str) -> set[frozenset[str]]:
    return {frozenset(m) for m in re.findall(r'^\s*"([^"]+)" -- "([^"]+)"', text, re.M)}


@pytest.mark.parametrize("style", STYLES)
def test_dot_has_every_device_and_link(lab_snapshots: dict[str, Snapshot], style: str) -> None:
    snap = lab_snapshots[style]
    devices, veths, ports = expected(snap)
    text = render_dot(topology(snap))
    declared = set(re.findall(r'^\s*"([^"]+)" \[label=', text, re.M))
    assert devices <= declared
    edges = dot_edges(text)
    assert veths <= edges
    assert ports <= edges
    assert all(end in declared for e in edges for end in e), "an edge ends at an undeclared vertex"
    # one cluster per node box
    for node in snap.nodes:
        assert f'subgraph "cluster_node:{node.name}"' in text
    if style == "vxlan":
        tunnels = [e for e in edges if all("flannel.1" in end for end in e)]
        assert len(tunnels) == 3  # a full mesh between three nodes
    if style == "routed":
        assert len(re.findall(r"BGP", text)) >= 3


@pytest.mark.parametrize("style", STYLES)
def test_svg_is_drawn_by_graphviz(lab_snapshots: dict[str, Snapshot], style: str) -> None:
    snap = lab_snapshots[style]
    topo = topology(snap)
    root = ET.fromstring(render_svg(topo))
    ns = {"s": "http://www.w3.org/2000/svg"}
    titles = {t.text for t in root.iterfind(".//s:g[@class='node']/s:title", ns)}
    devices, veths, ports = expected(snap)
    assert devices <= titles
    edge_titles = [t.text or "" for t in root.iterfind(".//s:g[@class='edge']/s:title", ns)]
    assert len(edge_titles) == len(topo.edges)
    drawn = {frozenset(t.split("--")) for t in edge_titles}
    assert (veths | ports) <= drawn
    assert all(end in titles for e in drawn for end in e)


@pytest.mark.parametrize("style", STYLES)
def test_mermaid_has_every_device_and_link(lab_snapshots: dict[str, Snapshot], style: str) -> None:
    snap = lab_snapshots[style]
    topo = topology(snap)
    text = render_mermaid(topo)
    assert text.startswith("flowchart LR\n")
    ids = {v.id: f"v{i}" for i, v in enumerate(topo.vertices)}
    devices, veths, ports = expected(snap)
    declared = set(re.findall(r"^\s*(v\d+)\[", text, re.M)) | set(re.findall(r"^\s*subgraph (v\d+g)\[", text, re.M))
    assert {ids[d] for d in devices} <= declared
    links = {frozenset(m) for m in re.findall(r"^\s*(v\d+g?) \S.*?\S (v\d+g?)$", text, re.M)}
    assert {frozenset(ids[x] for x in pair) for pair in veths | ports} <= links
    assert all(end in declared for e in links for end in e), "a link ends at an undeclared id"
    assert text.count("subgraph") == text.count("\n  end") + text.count("\n    end") + text.count("\n      end")
