"""``netblame map``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame.cli._output import output_option
from netblame.cli._sources import out_option, snapshot_from, snapshot_options, trace_option, write_out
from netblame.cli._usage import bad_value
from netblame.cli.parsing import Command, Namespace, Parser, many

if TYPE_CHECKING:
    from netblame import Topology

DESCRIPTION = """Draw the boxes and what is inside them: each node with its namespaces, devices, veth pairs,
bridge ports and tunnels, pods by name, the LAN and BGP sessions, with the findings of the
snapshot (and of any config files in PATHS) on the devices they concern.

\b
Output: a tree per node (default), Graphviz DOT or SVG, Mermaid, or one offline HTML file
(pan, zoom, search, click a device, open a node, follow a trace).

\b
Examples:
  netblame map --snapshot cluster.json
  netblame map --lab demo -o html --out demo.html --trace n1-p1 n2-p1
  netblame map --snapshot node1.json -o svg --out node1.svg"""


def arguments(parser: Parser) -> None:
    parser.argument("PATHS", nargs="*")
    snapshot_options(parser)
    trace_option(parser, "Trace a packet from SRC to DST and draw its path (repeatable).")
    parser.switch("--findings", "--no-findings", dest="findings", default=True,
                  help="Run the rules and mark their findings on the devices they concern (--no-findings: draw only).")
    parser.option("--node", metavar="NAME", help="Terminal output: only node NAME's tree.")
    out_option(parser)
    output_option(parser, "text", "dot", "svg", "mermaid", "html")


def run(args: Namespace) -> None:
    from netblame._gc import gc_paused
    from netblame.api.report import map_topology, map_tree

    paths, traces = many(args.paths), tuple(tuple(pair) for pair in args.traces or ())
    node, lab = args.node, args.lab
    # one short-lived process over a million acyclic objects: the collector stays off from the snapshot
    # read to the last line written (turned back on between them, it would scan them all for nothing)
    with gc_paused():
        snapshot = snapshot_from(args.snapshot_file, args.live, lab, required=True)
        assert snapshot is not None
        if node is not None and all(n.name != node for n in snapshot.nodes):
            raise bad_value("--node", f"no node called {node!r} in the snapshot")
        if args.output == "text":  # straight from the snapshot: the tree needs no graph
            text = map_tree(paths, snapshot=snapshot, traces=traces, findings=args.findings, node=node)
        else:
            title = f"netblame map: {args.snapshot_file or (f'lab {lab}' if lab else 'live')}"
            text = _render(map_topology(paths, snapshot=snapshot, traces=traces, title=title,
                                        findings=args.findings), args.output)
        write_out(text, args.out)


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


COMMAND = Command(DESCRIPTION, arguments, run)
