"""The HTML map in a real headless Chromium (Debian's, driven by Playwright's Python API; no browser
download): every node drawn, a click shows a device's details, a trace marks exactly its hops, search
finds a pod, a finding's device is marked, and hostile names stay text. Screenshots go to
test-artifacts/map/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from netblame.dataplane.index import Dataplane
from netblame.dataplane.verdict import trace_between
from netblame.model.snapshot import Snapshot
from netblame.render.map_html import render_map_html
from netblame.render.report_page import render_report_html
from netblame.summary import summarize
from netblame.topology import Topology, topology

from .conftest import STYLES

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.root
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_END = "</script><script>alert(2)</script>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=ARGS)
        yield b
        b.close()


class Page:
    """A page with its dialogs and console errors recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready='1']")

    def ids(self, selector: str = "node") -> set[str]:
        return set(self.page.evaluate(f"window.nbCy.$({selector!r}).map(function (n) {{ return n.id(); }})"))

    def point(self, vid: str) -> tuple[float, float]:
        box = self.page.locator("#nb-cy").bounding_box()
        pos = self.page.evaluate(f"window.nbCy.getElementById({vid!r}).renderedPosition()")
        return box["x"] + pos["x"], box["y"] + pos["y"]

    def click(self, vid: str) -> None:
        self.page.mouse.click(*self.point(vid))

    def dblclick(self, vid: str) -> None:
        self.page.mouse.dblclick(*self.point(vid))

    def wait_view(self, name: str) -> None:
        self.page.wait_for_selector(f"body[data-view={name!r}]")

    def close(self) -> None:
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        self.page.close()


def traced(snap: Snapshot) -> Topology:
    dp = Dataplane(snap)
    return summarize(snapshot=snap, traces=[("n1-p1", "n2-p1")]).topology or topology(snap, (), [
        ("t1", trace_between(dp, "n1-p1", "n2-p1"))])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("style", STYLES)
def test_lab_map_in_the_browser(browser: Any, lab_snapshots: dict[str, Snapshot], style: str, tmp_path: Path,
                                artifacts: Path) -> None:
    snap = lab_snapshots[style]
    topo = traced(snap)
    page = Page(browser, write(tmp_path, "map.html", render_map_html(topo)))
    # every node of the snapshot is drawn in the first view
    assert {f"node:{n.name}" for n in snap.nodes} <= page.ids()
    page.page.screenshot(path=str(artifacts / f"{style}-cluster.png"))

    # a finding's device (or namespace) is marked
    marked = {m.vertex for m in topo.marks if m.vertex}
    if style == "vxlan":
        assert marked, "the ip-forward-off fault gives a finding"
    assert marked & page.ids() <= page.ids(".nb-finding")
    assert page.ids(".nb-finding") <= marked

    # double-click a node's pods: the node opens with its pods; click a pod's device: its details show
    page.dblclick("pods:n1")
    page.wait_view("node:n1")
    pod_ns = next(ns for node in snap.nodes for ns in node.namespaces if ns.pod == "n1-p1")
    device = f"dev:{pod_ns.id}:eth0"
    assert device in page.ids()
    page.click(device)
    details = page.page.locator("#nb-details").inner_text()
    address = next(a.address for a in pod_ns.addresses if a.dev == "eth0" and a.family == 4)
    assert "MTU" in details and address in details and "peer" in details
    assert pod_ns.links[-1].peer is not None and pod_ns.links[-1].peer.ifname in details
    page.page.screenshot(path=str(artifacts / f"{style}-node-n1.png"))

    # a trace marks exactly its hops
    page.page.select_option("#nb-trace", "0")
    page.wait_view("path:t1")
    trace = topo.traces[0]
    assert page.ids("node.nb-hop") | page.ids("node.nb-drop") == set(trace.vertices)
    assert page.ids("edge.nb-hop") == {f"E{e}" for e in trace.edges}
    verdict = page.page.locator("#nb-details").inner_text()
    assert trace.disposition in verdict
    page.page.screenshot(path=str(artifacts / f"{style}-trace.png"))

    # search finds a pod on another node and opens it there
    page.page.fill("#nb-search", "n2-p2")
    page.page.press("#nb-search", "Enter")
    page.page.wait_for_selector("#nb-results[data-done='1']")
    page.page.locator("#nb-results button", has_text="n2-p2").first.click()
    page.wait_view("node:n2")
    selected = page.ids("node:selected")
    pod2 = next(ns for node in snap.nodes for ns in node.namespaces if ns.pod == "n2-p2")
    assert selected & {f"ns:{pod2.id}", f"dev:{pod2.id}:eth0"}
    page.close()


def hostile(snap: Snapshot) -> Snapshot:
    """The lab snapshot with a pod and a device named like an attack, and a node label holding </script>."""
    nodes = []
    for node in snap.nodes:
        spaces = []
        for original in node.namespaces:
            ns = original
            if ns.pod == "n1-p1":
                ns = msgspec.structs.replace(ns, pod=HOSTILE)
            if ns.role == "host" and node.name == "n2":
                links = tuple(msgspec.structs.replace(lk, name=HOSTILE) if lk.kind == "bridge" else lk
                              for lk in ns.links)
                ns = msgspec.structs.replace(ns, links=links, name=SCRIPT_END)
            spaces.append(ns)
        nodes.append(msgspec.structs.replace(node, namespaces=tuple(spaces),
                                             name=SCRIPT_END if node.name == "n3" else node.name))
    return msgspec.structs.replace(snap, nodes=tuple(nodes))


def test_hostile_names_stay_text(browser: Any, lab_snapshots: dict[str, Snapshot], tmp_path: Path,
                                 artifacts: Path) -> None:
    snap = hostile(lab_snapshots["host-routes"])
    topo = topology(snap, title=SCRIPT_END)
    html = render_map_html(topo)
    assert HOSTILE not in html and "</script><script>alert" not in html
    page = Page(browser, write(tmp_path, "hostile.html", html))
    assert f"node:{SCRIPT_END}" in page.ids()
    assert page.page.evaluate("document.querySelectorAll('img').length") == 0
    page.page.fill("#nb-search", "onerror")
    page.page.press("#nb-search", "Enter")
    page.page.wait_for_selector("#nb-results[data-done='1']")
    results = page.page.locator("#nb-results").inner_text()
    assert HOSTILE in results
    page.page.locator("#nb-results button", has_text=HOSTILE).first.click()
    page.wait_view("node:n1")
    assert HOSTILE in page.page.locator("#nb-details").inner_text()
    assert page.page.evaluate("document.querySelectorAll('img').length") == 0
    page.page.screenshot(path=str(artifacts / "hostile.png"))
    page.close()

    report = summarize(snapshot=snap, title=SCRIPT_END)
    text = render_report_html(report)
    assert HOSTILE not in text
    rpage = Page(browser, write(tmp_path, "report.html", text))
    assert rpage.page.title() == SCRIPT_END
    assert rpage.page.evaluate("document.querySelectorAll('img').length") == 0
    rpage.close()


@pytest.mark.parametrize("style", STYLES)
def test_trace_stays_marked_in_the_cluster_and_node_views(browser: Any, lab_snapshots: dict[str, Snapshot],
                                                          style: str, tmp_path: Path, artifacts: Path) -> None:
    snap = lab_snapshots[style]
    topo = traced(snap)
    trace = topo.traces[0]
    page = Page(browser, write(tmp_path, "map.html", render_map_html(topo)))
    page.page.select_option("#nb-trace", "0")
    page.wait_view("path:t1")
    # back in the cluster view: the host devices crossed, and the pods boxes the pods' devices fold into
    page.page.click("#nb-up")
    page.wait_view("cluster")
    assert "pods:n1" in page.ids("node.nb-hop")
    assert set(trace.vertices) & page.ids() <= page.ids("node.nb-hop") | page.ids("node.nb-drop")
    # in node n1's view: exactly the devices and links the trace crossed there, nothing else
    page.dblclick("pods:n1")
    page.wait_view("node:n1")
    assert page.ids("node.nb-hop") | page.ids("node.nb-drop") == set(trace.vertices) & page.ids()
    assert page.ids("edge.nb-hop") == {f"E{e}" for e in trace.edges} & page.ids("edge")
    assert f"dev:{next(ns.id for n in snap.nodes for ns in n.namespaces if ns.pod == 'n1-p1')}:eth0" \
        in page.ids("node.nb-hop")
    page.page.screenshot(path=str(artifacts / f"{style}-trace-node-n1.png"))
    page.close()
