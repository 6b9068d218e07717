"""``netblame collect``."""

from __future__ import annotations

import sys

from netblame.cli._output import say
from netblame.cli.parsing import Command, Namespace, Parser, integer

DESCRIPTION = """Snapshot this machine's hidden network, read-only: every network namespace (named ones and those
only processes hold), its devices, addresses, routes of every table, policy rules, neighbours, bridge
and VXLAN FDB, and the sysctls that decide forwarding. Writes netblame/snapshot/v1 JSON
(docs/snapshot-schema.md). Needs root to see other namespaces; without it, what can be read is written
and the rest is named on stderr.

\b
Examples:
  sudo netblame collect -o node1.json
  sudo netblame collect --lab demo -o demo.json
  netblame collect --import netblame-capture.tar.gz -o node1.json"""


def arguments(parser: Parser) -> None:
    parser.option("-o", "--output", dest="output", metavar="FILE", default="-", show_default=True,
                  help="Where to write the snapshot (- for stdout). Written to a temporary file and renamed.")
    parser.option("--lab", metavar="NAME", help="Collect only lab NAME's namespaces, grouped into its nodes.")
    parser.option("--import", dest="import_from", metavar="DIR",
                  help="Read an offline capture (directory or tarball; docs/offline-capture.md) instead of this "
                  "machine.")
    parser.option("--node-name", metavar="NAME", help="Name of the node in the snapshot (default: this host's name).")
    parser.option("--workers", value=integer(1, 64), default=4, show_default=True,
                  help="Namespaces collected in parallel.")
    parser.flag("-q", "--quiet", help="No progress on stderr.")


def run(args: Namespace) -> None:
    from netblame.api.collect import collect
    from netblame.api.snapshot import encode_snapshot, save_snapshot

    quiet, output = args.quiet, args.output
    tty = sys.stderr.isatty()

    def progress(text: str) -> None:
        if not quiet and tty:
            sys.stderr.write(f"\r{text}")
            sys.stderr.flush()

    warnings: list[str] = []
    snapshot = collect(lab=args.lab, import_from=args.import_from, node_name=args.node_name, workers=args.workers,
                       progress=progress, warn=warnings.append)
    if not quiet and tty and args.import_from is None:
        say("")
    if output == "-":
        sys.stdout.buffer.write(encode_snapshot(snapshot))
        sys.stdout.flush()
    else:
        save_snapshot(snapshot, output)
    for problem in warnings:
        say(f"netblame: warning: {problem}")
    namespaces = [ns for node in snapshot.nodes for ns in node.namespaces]
    partial = [ns for ns in namespaces if ns.errors]
    for ns in partial:
        for err in ns.errors:
            say(f"netblame: warning: {ns.id}: {err}")
    if not quiet:
        where = "stdout" if output == "-" else output
        say(f"netblame: wrote {where}: {len(snapshot.nodes)} node(s), {len(namespaces)} namespace(s), "
            f"{sum(len(ns.links) for ns in namespaces)} devices")


COMMAND = Command(DESCRIPTION, arguments, run)
