"""``netblame map -o html``: one self-contained page, offline, drawn by the vendored cytoscape.js.

The first view (the cluster, or groups of nodes in a big cluster) and the traces are embedded as JSON;
every node's own view and the search index go into gzip-compressed chunks that the page unpacks only
when the reader opens a node or searches, so the first view costs the same for 50 nodes or 5,000.
Names are untrusted: JSON is embedded with ``<``, ``>`` and ``&`` escaped, and the page sets text with
``textContent`` only.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from importlib.resources import files
from typing import Any

from netblame.topology.levels import View, cluster_view, groups, node_view, overview, path_view
from netblame.topology.model import Topology, Vertex

FINDINGS_SHOWN = 500  # the first view stays small however many findings a big cluster has


def asset(name: str) -> str:
    """The text of a file shipped in ``netblame/render/assets``."""
    return (files("netblame.render") / "assets" / name).read_text(encoding="utf-8")


def safe_json(value: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``</script>``, no ``<!--``, no entity."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _view_json(view: View, chunk: int | None, drill_chunk: dict[str, int | None]) -> dict[str, Any]:
    vertices = []
    for v in view.vertices:
        item: dict[str, Any] = {"i": v.id, "l": v.label, "k": v.kind, "r": v.role}
        if v.parent is not None:
            item["p"] = v.parent
        pos = view.positions.get(v.id)
        if pos is not None:
            item["x"], item["y"] = round(pos[0], 1), round(pos[1], 1)
        vertices.append(item)
    return {
        "title": view.title, "c": chunk, "v": vertices,
        "e": [{"i": e.id, "s": e.source, "t": e.target, "k": e.kind, "l": e.label} for e in view.edges],
        "d": {v.id: [list(kv) for kv in v.details] for v in view.vertices if v.details},
        "drill": {vid: [target, drill_chunk.get(target)] for vid, target in view.drill.items()},
    }


def _search_entries(vertices: list[Vertex]) -> list[list[str]]:
    out = []
    for v in vertices:
        if v.kind not in ("device", "namespace"):
            continue
        text = " ".join(filter(None, (v.label, v.pod or "", *v.addresses)))
        shown = f"{v.pod or v.label} ({v.kind} {v.label}{', ' + ', '.join(v.addresses) if v.addresses else ''})" \
            if v.kind == "device" else f"{v.label} ({v.role} namespace on {v.node})"
        out.append([text, shown, f"node:{v.node}", v.id])
    return out


def _pack(value: object) -> str:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def map_payload(topo: Topology) -> tuple[dict[str, Any], list[str]]:
    """The embedded first view and the compressed chunks (one per group of nodes)."""
    parts = groups(topo)
    node_chunk: dict[str, int] = {m.node: gi for gi, members in enumerate(parts) for m in members}
    drill_chunk: dict[str, int | None] = {f"node:{n}": gi for n, gi in node_chunk.items()}
    drill_chunk.update({f"group:{gi}": gi for gi in range(len(parts))})
    drill_chunk["cluster"] = None
    by_node: dict[str, list[Vertex]] = {}
    for v in topo.vertices:
        by_node.setdefault(v.node, []).append(v)
    chunks = []
    for gi, members in enumerate(parts):
        views: dict[str, Any] = {}
        if len(parts) > 1:
            gv = cluster_view(topo, members, name=f"group:{gi}", title=f"nodes {members[0].label} ... "
                              f"{members[-1].label}")
            views[gv.name] = _view_json(gv, gi, drill_chunk)
        for m in members:
            nv = node_view(topo, m.node)
            views[nv.name] = _view_json(nv, gi, drill_chunk)
        mine = [v for m in members for v in by_node.get(m.node, [])]
        chunks.append(_pack({"views": views, "search": _search_entries(mine)}))
    first = overview(topo)
    views = {"cluster": _view_json(first, 0 if len(parts) == 1 else None, drill_chunk)}
    for t in topo.traces:
        pv = path_view(topo, t)
        views[pv.name] = _view_json(pv, None, drill_chunk)
    marks: dict[str, list[int]] = {}
    findings = []
    for i, mark in enumerate(topo.marks[:FINDINGS_SHOWN]):
        on = topo.vertex(mark.vertex) if mark.vertex else None
        if on is not None:
            marks.setdefault(mark.vertex, []).append(i)
        findings.append({"rule": mark.rule, "severity": mark.severity, "title": mark.title, "message": mark.message,
                         "fix": mark.fix, "where": mark.where, "vertex": mark.vertex if on is not None else "",
                         "view": f"node:{on.node}" if on is not None and on.node in node_chunk else "cluster",
                         "chunk": node_chunk.get(on.node) if on is not None else None})
    traces = [{"name": t.name, "src": t.src, "dst": t.dst, "disposition": t.disposition, "delivered": t.delivered,
               "explanation": t.explanation, "edges": list(t.edges),
               "hops": [{"label": h.label, "node": h.node, "ns": h.namespace, "v": list(h.vertices),
                         "d": [topo.vertex(x).label for x in h.vertices if topo.vertex(x)],  # type: ignore[union-attr]
                         "drop": h.dropped, "nat": list(h.nat), "stop": h.stop} for h in t.hops]}
              for t in topo.traces]
    if len(topo.marks) > FINDINGS_SHOWN:
        findings.append({"rule": "", "severity": "info", "title": "", "message": "", "fix": "", "vertex": "",
                         "where": f"... and {len(topo.marks) - FINDINGS_SHOWN} more findings (see netblame check)",
                         "view": "cluster", "chunk": None})
    data = {"title": topo.title, "views": views, "chunks": len(chunks), "chunkOf0": 0 if len(parts) == 1 else None,
            "marks": marks, "findings": findings, "traces": traces}
    return data, chunks


MAP_BODY = """<div class="nb-map{extra}">
<div class="nb-bar"><button id="nb-up" type="button" hidden>cluster</button><span id="nb-crumb" class="nb-crumb"></span>
<input id="nb-search" type="search" placeholder="search pod, IP or device, then Enter" aria-label="search">
<select id="nb-trace" hidden><option value="">trace: none</option></select>
<button id="nb-fit" type="button">fit</button></div>
<div id="nb-cy"></div>
<div class="nb-side"><div id="nb-results" class="nb-results"></div><div id="nb-details"><p>Click a device for its
addresses, routes, MTU and peer; double-click a node to open it.</p></div>
<h2>Findings</h2><div id="nb-findings" class="nb-list"></div>
<h2>Legend</h2><div class="nb-legend"><span>grey: veth</span><span>dotted: bridge port</span>
<span>blue dashed: tunnel</span><span>brown: LAN</span><span>green dashed: BGP</span><span>red border: finding</span>
<span>orange: traced hop</span></div></div></div>
"""


def map_scripts(topo: Topology) -> str:
    """The data, the chunks, cytoscape.js with its licence, and the page's own script."""
    data, chunks = map_payload(topo)
    manifest = json.loads(asset("manifest.json"))
    notices = "\n".join(f"{m['name']} {m['version']} ({m['license']})" for m in manifest)
    out = [f'<script type="application/json" id="nb-data">{safe_json(data)}</script>']
    out.extend(f'<script type="application/octet-stream" id="nb-chunk-{i}">{c}</script>' for i, c in enumerate(chunks))
    out.append(f"<script>/*! {notices}\n{asset('cytoscape.LICENSE')}*/\n{asset('cytoscape.min.js')}</script>")
    out.append(f"<script>{asset('map.js')}</script>")
    return "\n".join(out)


def render_map_html(topo: Topology) -> str:
    """The whole page."""
    title = html.escape(topo.title or "netblame map")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>body{{margin:0}}\n{asset('map.css')}</style></head>\n<body>\n"
            f"{MAP_BODY.format(extra='')}{map_scripts(topo)}\n</body></html>\n")
