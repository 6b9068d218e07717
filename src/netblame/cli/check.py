"""``netblame check``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from netblame.api.check import ClusterFlags, check, flags_fragment
from netblame.checks import default_registry
from netblame.cli._output import console, exit_code, output_option
from netblame.errors import InputError
from netblame.findings import InputProblem, InputRecord, Severity


def _snapshots(files: tuple[str, ...], live: bool, lab: str | None
               ) -> tuple[list[object], list[InputRecord], list[InputProblem]]:
    """Snapshots to check: read from files (typed decoding) and/or collected live now."""
    from netblame.collect.snapshot_io import read_snapshot

    extra: list[object] = []
    records: list[InputRecord] = []
    problems: list[InputProblem] = []
    for path in files:
        try:
            extra.append(read_snapshot(path))
        except InputError as exc:
            problems.append(InputProblem(exc.message, exc.file, exc.line))
        else:
            records.append(InputRecord(path, "netblame-snapshot"))
    if live:
        from netblame.collect.run import collect_snapshot

        click.echo("netblame: collecting this machine's namespaces (read-only)...", err=True)
        snapshot, errors = collect_snapshot(lab=lab, progress=None)
        extra.append(snapshot)
        records.append(InputRecord("live" if lab is None else f"live (lab {lab})", "netblame-snapshot"))
        for problem in errors:
            click.echo(f"netblame: warning: {problem}", err=True)
    return extra, records, problems


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
@click.option("--root", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=str),
              help="Also read a node's DNS files below DIR (its /etc, /run and /var/lib), as `netblame dns` does.")
def check_cmd(paths: tuple[str, ...], nodes: int | None, lan: tuple[str, ...], node_mask: int | None,
              max_pods: int | None, live: bool, lab: str | None, snapshots: tuple[str, ...], output: str,
              fail_on: str, exit_zero: bool, verbose: bool, root: str | None) -> None:
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
    if lab is not None and not live:
        raise click.UsageError("--lab goes with --live")
    missing = [p for p in (*paths, *snapshots) if not Path(p).exists()]
    if missing:
        raise click.BadParameter(f"no such file or directory: {', '.join(missing)}", param_hint="PATHS")
    flags = ClusterFlags(nodes=nodes, lan=lan, node_mask=node_mask, max_pods=max_pods)
    try:
        flags_fragment(flags)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    extra, records, problems = _snapshots(snapshots, live, lab)
    if root is not None:
        from netblame.collect.dns_tree import read_tree
        from netblame.dns.view import files_read

        setup = read_tree(root)
        extra.append(setup)
        records += [InputRecord(path, "node DNS") for path in files_read(setup)]
    report = check(paths, flags=flags, extra=extra, extra_inputs=records, extra_errors=problems)
    if output == "json":
        from netblame.render.report_json import render_json

        sys.stdout.write(render_json(report))
    elif output == "sarif":
        from netblame.render.sarif import render_sarif

        sys.stdout.write(render_sarif(report, default_registry()))
    else:
        from netblame.render.report_table import render_table

        render_table(report, console(), verbose=verbose)
    if output != "table":
        for problem in report.errors:
            click.echo(f"netblame: error: {problem}", err=True)
    sys.exit(exit_code(report, Severity.from_label(fail_on), exit_zero))
