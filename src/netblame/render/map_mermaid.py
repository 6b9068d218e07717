"""``netblame map -o mermaid``: a Mermaid flowchart for an issue or a wiki, one subgraph per node
and per namespace. Mermaid ids are generated (``v12``); every label is quoted with ``#quot;`` for
``"`` and entities for ``<``/``>``, so a hostile name stays text."""

from __future__ import annotations

from netblame.topology.model import Topology, Vertex

ARROW = {"veth": "---", "port": "-.-", "tunnel": "-. {label} .-", "lan": "===", "bgp": "-. BGP .-"}


def label(text: str) -> str:
    """A Mermaid quoted label with the characters Mermaid or a Markdown host would read escaped."""
    for a, b in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(a, b)
    return f'"{text}"'


def render_mermaid(topo: Topology) -> str:
    """The graph as ``flowchart LR``."""
    kids = topo.children()
    ids = {v.id: f"v{i}" for i, v in enumerate(topo.vertices)}
    marked = {m.vertex for m in topo.marks if m.vertex}
    out = ["flowchart LR"]

    def emit(v: Vertex, depth: int) -> None:
        pad = "  " * depth
        children = kids.get(v.id, [])
        if children:
            out.append(f"{pad}subgraph {ids[v.id]}g[{label(v.label)}]")
            for c in children:
                emit(c, depth + 1)
            out.append(f"{pad}end")
        else:
            out.append(f"{pad}{ids[v.id]}[{label(v.label)}]")

    for v in kids.get(None, []):
        emit(v, 1)
    for e in topo.edges:
        a, b = ids[e.source], ids[e.target]
        # an edge to a box (a BGP session between namespaces) goes to the subgraph
        a = f"{a}g" if kids.get(e.source) else a
        b = f"{b}g" if kids.get(e.target) else b
        arrow = ARROW[e.kind].format(label=label(e.label))
        out.append(f"  {a} {arrow} {b}")
    for vid in sorted(marked):
        if vid in ids and not kids.get(vid):
            out.append(f"  style {ids[vid]} stroke:#c62828,stroke-width:4px")
    return "\n".join(out) + "\n"
