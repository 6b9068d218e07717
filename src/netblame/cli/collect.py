"""``netblame collect``."""

from __future__ import annotations

import sys

import click


@click.command("collect")
@click.option("-o", "--output", "output", metavar="FILE", default="-", show_default=True,
              help="Where to write the snapshot (- for stdout). Written to a temporary file and renamed.")
@click.option("--lab", metavar="NAME", help="Collect only lab NAME's namespaces, grouped into its nodes.")
@click.option("--import", "import_from", metavar="DIR",
              help="Read an offline capture (directory or tarball; docs/offline-capture.md) instead of this machine.")
@click.option("--node-name", metavar="NAME", help="Name of the node in the snapshot (default: this host's name).")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Namespaces collected in parallel.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def collect_cmd(output: str, lab: str | None, import_from: str | None, node_name: str | None, workers: int,
                quiet: bool) -> None:
    """Snapshot this machine's hidden network, read-only: every network namespace (named ones and those
    only processes hold), its devices, addresses, routes of every table, policy rules, neighbours, bridge
    and VXLAN FDB, and the sysctls that decide forwarding. Writes netblame/snapshot/v1 JSON
    (docs/snapshot-schema.md). Needs root to see other namespaces; without it, what can be read is written
    and the rest is named on stderr.

    \b
    Examples:
      sudo netblame collect -o node1.json
      sudo netblame collect --lab demo -o demo.json
      netblame collect --import netblame-capture.tar.gz -o node1.json
    """
    from netblame.api.collect import collect
    from netblame.api.snapshot import encode_snapshot, save_snapshot

    tty = sys.stderr.isatty()

    def progress(text: str) -> None:
        if not quiet and tty:
            click.echo(f"\r{text}", err=True, nl=False)

    warnings: list[str] = []
    snapshot = collect(lab=lab, import_from=import_from, node_name=node_name, workers=workers, progress=progress,
                       warn=warnings.append)
    if not quiet and tty and import_from is None:
        click.echo("", err=True)
    if output == "-":
        sys.stdout.buffer.write(encode_snapshot(snapshot))
        sys.stdout.flush()
    else:
        save_snapshot(snapshot, output)
    for problem in warnings:
        click.echo(f"netblame: warning: {problem}", err=True)
    namespaces = [ns for node in snapshot.nodes for ns in node.namespaces]
    partial = [ns for ns in namespaces if ns.errors]
    for ns in partial:
        for err in ns.errors:
            click.echo(f"netblame: warning: {ns.id}: {err}", err=True)
    if not quiet:
        where = "stdout" if output == "-" else output
        click.echo(f"netblame: wrote {where}: {len(snapshot.nodes)} node(s), {len(namespaces)} namespace(s), "
                   f"{sum(len(ns.links) for ns in namespaces)} devices", err=True)
