"""``netblame map``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from netblame.cli._output import output_option
from netblame.cli._sources import snapshot_from, snapshot_options, write_out

if TYPE_CHECKING:
    from netblame import Topology


@click.command("map")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@snapshot_options
@click.option("--trace", "traces", nargs=2, multiple=True, metavar="SRC DST",
              help="Trace a packet from SRC to DST and draw its path (repeatable).")
@click.option("--findings/--no-findings", default=True, show_default=True,
              help="Run the rules and mark their findings on the devices they concern (--no-findings: draw only).")
@click.option("--node", metavar="NAME", help="Terminal output: only node NAME's tree.")
@click.option("--out", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Write to FILE instead of standard output.")
@output_option("text", "dot", "svg", "mermaid", "html")
def map_cmd(paths: tuple[str, ...], snapshot_file: str | None, live: bool, lab: str | None,
            traces: tuple[tuple[str, str], ...], findings: bool, node: str | None, out: str | None,
            output: str) -> None:
    """Draw the boxes and what is inside them: each node with its namespaces, devices, veth pairs,
    bridge ports and tunnels, pods by name, the LAN and BGP sessions, with the findings of the
    snapshot (and of any config files in PATHS) on the devices they concern.

    \b
    Output: a tree per node (default), Graphviz DOT or SVG, Mermaid, or one offline HTML file
    (pan, zoom, search, click a device, open a node, follow a trace).

    \b
    Examples:
      netblame map --snapshot cluster.json
      netblame map --lab demo -o html --out demo.html --trace n1-p1 n2-p1
      netblame map --snapshot node1.json -o svg --out node1.svg
    """
    from netblame._gc import gc_paused
    from netblame.api.report import map_topology, map_tree

    # one short-lived process over a million acyclic objects: the collector stays off from the snapshot
    # read to the last line written (turned back on between them, it would scan them all for nothing)
    with gc_paused():
        snapshot = snapshot_from(snapshot_file, live, lab, required=True)
        assert snapshot is not None
        if node is not None and all(n.name != node for n in snapshot.nodes):
            raise click.BadParameter(f"no node called {node!r} in the snapshot", param_hint="--node")
        if output == "text":  # straight from the snapshot: the tree needs no graph
            text = map_tree(paths, snapshot=snapshot, traces=traces, findings=findings, node=node)
        else:
            title = f"netblame map: {snapshot_file or (f'lab {lab}' if lab else 'live')}"
            text = _render(map_topology(paths, snapshot=snapshot, traces=traces, title=title, findings=findings),
                           output)
        write_out(text, out)


def _render(topo: Topology, output: str) -> str:
    if output == "dot":
        from netblame.render.map_dot import render_dot

        text = render_dot(topo)
    elif output == "svg":
        from netblame.render.map_dot import render_svg

        text = render_svg(topo)
    elif output == "mermaid":
        from netblame.render.map_mermaid import render_mermaid

        text = render_mermaid(topo)
    else:
        from netblame.render.map_html import render_map_html

        text = render_map_html(topo)
    return text
