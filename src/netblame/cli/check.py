"""``netblame check``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from netblame import Severity
from netblame.api.check import ClusterFlags, check
from netblame.cli._output import console, exit_code, output_option, selection_options, usage


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--nodes", type=click.IntRange(min=1), help="Planned node count (when no nodes dump says it).")
@click.option("--lan", multiple=True, metavar="CIDR",
              help="A network to keep clear of: LAN, VPN, Docker, Tailscale (repeatable).")
@click.option("--node-mask", type=int, help="Per-node pod mask when no file says it (kube-controller-manager "
              "--node-cidr-mask-size).")
@click.option("--max-pods", type=click.IntRange(min=1), help="kubelet maxPods when no file says it.")
@click.option("--live", is_flag=True, help="Also collect this machine's namespaces (read-only, needs root) and run "
              "the node rules (NB3xx) on them.")
@click.option("--lab", "lab", metavar="NAME", help="With --live: only lab NAME's namespaces, grouped into its nodes.")
@click.option("--snapshot", "snapshots", multiple=True, metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="A snapshot from `netblame collect` to run the node rules on (repeatable).")
@output_option("table", "json", "sarif")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (2 still means bad input).")
@click.option("-v", "--verbose", is_flag=True, help="List every input read.")
@selection_options
@click.option("--root", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=str),
              help="Also read a node's DNS files below DIR (its /etc, /run and /var/lib), as `netblame dns` does.")
def check_cmd(paths: tuple[str, ...], nodes: int | None, lan: tuple[str, ...], node_mask: int | None,
              max_pods: int | None, live: bool, lab: str | None, snapshots: tuple[str, ...], output: str,
              fail_on: str, exit_zero: bool, verbose: bool, select: tuple[str, ...], ignore: tuple[str, ...],
              root: str | None) -> None:
    """Check cluster configuration files, node DNS files and node snapshots (any number of files or
    directories, recognised by content), a copied node tree (--root), or this machine's live
    namespaces (--live), and report every finding with its fix.

    \b
    Examples:
      netblame check examples/pi-cluster
      netblame check kubeadm.yaml values.yaml nodes.json --lan 192.168.1.0/24
      netblame check /etc/kubernetes -o sarif > netblame.sarif
      sudo netblame check --live
      netblame check --snapshot node1.json
    """
    if not paths and not live and not snapshots and root is None:
        raise click.UsageError("give at least one file or directory to check, --live, --snapshot FILE or --root DIR")
    missing = [p for p in (*paths, *snapshots) if not Path(p).exists()]
    if missing:
        raise click.BadParameter(f"no such file or directory: {', '.join(missing)}", param_hint="PATHS")
    if live:
        click.echo("netblame: collecting this machine's namespaces (read-only)...", err=True)
    with usage():
        report = check(paths, flags=ClusterFlags(nodes=nodes, lan=lan, node_mask=node_mask, max_pods=max_pods),
                       snapshots=snapshots, live=live, lab=lab, root=root, select=select, ignore=ignore,
                       warn=lambda problem: click.echo(f"netblame: warning: {problem}", err=True))
    if output == "json":
        from netblame.render.report_json import render_json

        sys.stdout.write(render_json(report))
    elif output == "sarif":
        from netblame.api.check import rule_registry
        from netblame.render.sarif import render_sarif

        sys.stdout.write(render_sarif(report, rule_registry()))
    else:
        from netblame.render.report_table import render_table

        render_table(report, console(), verbose=verbose)
    if output != "table":
        for problem in report.errors:
            click.echo(f"netblame: error: {problem}", err=True)
        for failure in report.failures:
            click.echo(f"netblame: error: {failure}", err=True)
    sys.exit(exit_code(report, Severity.from_label(fail_on), exit_zero))
