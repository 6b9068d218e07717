"""``netblame report``."""

from __future__ import annotations

import click

from netblame.cli._sources import snapshot_from, snapshot_options, write_out


@click.command("report")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@snapshot_options
@click.option("--root", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=str),
              help="Also read a node's DNS files below DIR (its /etc, /run and /var/lib).")
@click.option("--trace", "traces", nargs=2, multiple=True, metavar="SRC DST",
              help="Trace a packet from SRC to DST through the snapshot and show it (repeatable).")
@click.option("--title", help="The page's title.")
@click.option("--out", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Write to FILE instead of standard output.")
@click.option("-o", "--output", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="Output format.")
def report_cmd(paths: tuple[str, ...], snapshot_file: str | None, live: bool, lab: str | None, root: str | None,
               traces: tuple[tuple[str, str], ...], title: str | None, out: str | None, output: str) -> None:
    """One page for both sides: a one-line verdict (the network, the node or the cluster config, with
    the evidence), findings with fixes grouped by who acts, the map, the traces asked for, the
    address plan, the DNS chain and the hand-off to the network. Inputs as for `netblame check`.

    \b
    Examples:
      netblame report examples/pi-cluster --out report.html
      netblame report --lab demo --trace n1-p1 n2-p1 --out demo.html
      netblame report kubeadm.yaml nodes.json --snapshot node1.json -o md > report.md
    """
    from netblame.api.report import report_summary

    if not paths and snapshot_file is None and not live and lab is None and root is None:
        raise click.UsageError("give files or directories, --snapshot FILE, --live, --lab NAME or --root DIR")
    if traces and snapshot_file is None and not live and lab is None:
        raise click.UsageError("--trace needs a snapshot: --snapshot FILE, --live or --lab NAME")
    snapshot = snapshot_from(snapshot_file, live, lab, required=False)
    summary = report_summary(paths, snapshot=snapshot, root=root, traces=traces, title=title or "")
    if output == "md":
        from netblame.render.report_page import render_report_md

        write_out(render_report_md(summary), out)
    else:
        from netblame.render.report_page import render_report_html

        write_out(render_report_html(summary), out)
