"""``netblame report``."""

from __future__ import annotations

from netblame.cli._output import output_option
from netblame.cli._sources import out_option, snapshot_from, snapshot_options, trace_option, write_out
from netblame.cli._usage import CommandUsageError
from netblame.cli.parsing import Command, Namespace, Parser, many, path

DESCRIPTION = """One page for both sides: a one-line verdict (the network, the node or the cluster config, with
the evidence), findings with fixes grouped by who acts, the map, the traces asked for, the
address plan, the DNS chain and the hand-off to the network. Inputs as for `netblame check`.

\b
Examples:
  netblame report examples/pi-cluster --out report.html
  netblame report --lab demo --trace n1-p1 n2-p1 --out demo.html
  netblame report kubeadm.yaml nodes.json --snapshot node1.json -o md > report.md"""


def arguments(parser: Parser) -> None:
    parser.argument("PATHS", nargs="*")
    snapshot_options(parser)
    parser.option("--root", metavar="DIR", value=path(exists=True, file_okay=False),
                  help="Also read a node's DNS files below DIR (its /etc, /run and /var/lib).")
    trace_option(parser, "Trace a packet from SRC to DST through the snapshot and show it (repeatable).")
    parser.option("--title", help="The page's title.")
    out_option(parser)
    output_option(parser, "html", "md")


def run(args: Namespace) -> None:
    from netblame.api.report import report_summary

    paths, traces = many(args.paths), tuple(tuple(pair) for pair in args.traces or ())
    snapshot_file, live, lab, root = args.snapshot_file, args.live, args.lab, args.root
    if not paths and snapshot_file is None and not live and lab is None and root is None:
        raise CommandUsageError("give files or directories, --snapshot FILE, --live, --lab NAME or --root DIR")
    if traces and snapshot_file is None and not live and lab is None:
        raise CommandUsageError("--trace needs a snapshot: --snapshot FILE, --live or --lab NAME")
    snapshot = snapshot_from(snapshot_file, live, lab, required=False)
    summary = report_summary(paths, snapshot=snapshot, root=root, traces=traces, title=args.title or "")
    if args.output == "md":
        from netblame.render.report_page import render_report_md

        write_out(render_report_md(summary), args.out)
    else:
        from netblame.render.report_page import render_report_html

        write_out(render_report_html(summary), args.out)


COMMAND = Command(DESCRIPTION, arguments, run)
