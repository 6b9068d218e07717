"""``netblame map -o dot`` / ``-o svg``: Graphviz, one cluster per node and per namespace.

SVG comes from Graphviz's own programs (Debian's ``graphviz``): ``dot`` for a small graph, ``sfdp``
for a large one (``dot`` takes minutes on thousands of vertices).
"""

from __future__ import annotations

import shutil
import subprocess

from netblame.errors import InputError
from netblame.topology.model import Topology, Vertex

SFDP_ABOVE = 400
EDGE_STYLE = {"veth": "color=gray40", "port": "style=dotted color=goldenrod4",
              "tunnel": "style=dashed color=royalblue3 penwidth=2", "lan": "color=sienna penwidth=2",
              "bgp": "style=dashed color=forestgreen penwidth=2"}
FILL = {"node": "gray92", "fabric": "bisque", "namespace": "white", "pod": "honeydew"}


def quote(text: str) -> str:
    """A DOT double-quoted string (every ``"`` and ``\\`` escaped, newlines as ``\\n``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render_dot(topo: Topology) -> str:
    """The graph in the DOT language."""
    kids = topo.children()
    marked = {m.vertex for m in topo.marks if m.vertex}
    hops = {v for t in topo.traces for v in t.vertices}
    out = ["graph netblame {", "  compound=true; rankdir=LR; fontname=Helvetica;",
           "  node [shape=box style=\"rounded,filled\" fillcolor=aliceblue fontname=Helvetica fontsize=10];"]

    def emit(v: Vertex, depth: int) -> None:
        pad = "  " * depth
        children = kids.get(v.id, [])
        if children:
            fill = FILL["pod"] if v.role == "pod" else FILL.get(v.kind, "white")
            out.append(f"{pad}subgraph {quote('cluster_' + v.id)} {{")
            out.append(f"{pad}  label={quote(v.label)}; style=\"rounded,filled\"; fillcolor={fill};")
            for c in children:
                emit(c, depth + 1)
            out.append(f"{pad}}}")
            if v.kind != "device":
                return
        attrs = [f"label={quote(v.label)}"]
        if v.kind == "fabric":
            attrs.append("fillcolor=bisque")
        if v.id in marked:
            attrs.append("color=red3 penwidth=3")
        if v.id in hops:
            attrs.append("fillcolor=gold")
        out.append(f"{pad}{quote(v.id)} [{' '.join(attrs)}];")

    for v in kids.get(None, []):
        if kids.get(v.id) or v.kind in ("device", "fabric", "pods"):
            emit(v, 1)
    def leaf(vid: str) -> str:
        """An edge to a box is drawn to its first port, clipped at the box (``lhead``/``ltail``)."""
        while kids.get(vid):
            vid = kids[vid][0].id
        return vid

    for e in topo.edges:
        extra = f" label={quote(e.label)}" if e.kind in ("tunnel", "bgp") else ""
        if kids.get(e.source):
            extra += f" ltail={quote('cluster_' + e.source)}"
        if kids.get(e.target):
            extra += f" lhead={quote('cluster_' + e.target)}"
        out.append(f"  {quote(leaf(e.source))} -- {quote(leaf(e.target))} [{EDGE_STYLE[e.kind]}{extra}];")
    out.append("}")
    return "\n".join(out) + "\n"


def render_svg(topo: Topology) -> str:
    """The graph as SVG, laid out by Graphviz."""
    program = "sfdp" if len(topo.vertices) > SFDP_ABOVE else "dot"
    exe = shutil.which(program)
    if exe is None:
        raise InputError(f"-o svg needs Graphviz's {program} program (Debian package graphviz)")
    done = subprocess.run([exe, "-Tsvg"], input=render_dot(topo), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InputError(f"{program} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    return done.stdout
