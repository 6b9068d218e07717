"""``netblame check``."""

from __future__ import annotations

import sys

from netblame.cli._output import exit_code, fail_on_option, output_option, say, selection_options, usage
from netblame.cli._usage import CommandUsageError, bad_value
from netblame.cli.parsing import Command, Namespace, Parser, integer, many, path

DESCRIPTION = """Check cluster configuration files, node DNS files and node snapshots (any number of files or
directories, recognised by content), a copied node tree (--root), or this machine's live
namespaces (--live), and report every finding with its fix.

\b
Examples:
  netblame check examples/pi-cluster
  netblame check kubeadm.yaml values.yaml nodes.json --lan 192.168.1.0/24
  netblame check /etc/kubernetes -o sarif > netblame.sarif
  sudo netblame check --live
  netblame check --snapshot node1.json"""


def arguments(parser: Parser) -> None:
    parser.argument("PATHS", nargs="*")
    parser.option("--nodes", value=integer(1), help="Planned node count (when no nodes dump says it).")
    parser.option("--lan", repeat=True, metavar="CIDR",
                  help="A network to keep clear of: LAN, VPN, Docker, Tailscale (repeatable).")
    parser.option("--node-mask", value=integer(), help="Per-node pod mask when no file says it "
                  "(kube-controller-manager --node-cidr-mask-size).")
    parser.option("--max-pods", value=integer(1), help="kubelet maxPods when no file says it.")
    parser.flag("--live", help="Also collect this machine's namespaces (read-only, needs root) and run the node "
                "rules (NB3xx) on them.")
    parser.option("--lab", metavar="NAME", help="With --live: only lab NAME's namespaces, grouped into its nodes.")
    parser.option("--snapshot", dest="snapshots", repeat=True, metavar="FILE", value=path(dir_okay=False),
                  help="A snapshot from `netblame collect` to run the node rules on (repeatable).")
    output_option(parser, "table", "json", "sarif")
    fail_on_option(parser)
    parser.flag("--exit-zero", help="Exit 0 even with findings (2 still means bad input).")
    parser.flag("-v", "--verbose", help="List every input read.")
    selection_options(parser)
    parser.option("--root", metavar="DIR", value=path(exists=True, file_okay=False),
                  help="Also read a node's DNS files below DIR (its /etc, /run and /var/lib), as `netblame dns` "
                  "does.")


def run(args: Namespace) -> None:
    import os

    paths, snapshots = many(args.paths), many(args.snapshots)
    if not paths and not args.live and not snapshots and args.root is None:
        raise CommandUsageError("give at least one file or directory to check, --live, --snapshot FILE or --root DIR")
    missing = [p for p in (*paths, *snapshots) if not os.path.exists(p)]
    if missing:
        raise bad_value("PATHS", f"no such file or directory: {', '.join(missing)}")
    if args.live:
        say("netblame: collecting this machine's namespaces (read-only)...")
    from netblame import Severity
    from netblame.api.check import ClusterFlags, check

    with usage():
        report = check(paths, flags=ClusterFlags(nodes=args.nodes, lan=many(args.lan), node_mask=args.node_mask,
                                                 max_pods=args.max_pods),
                       snapshots=snapshots, live=args.live, lab=args.lab, root=args.root, select=many(args.select),
                       ignore=many(args.ignore), warn=lambda problem: say(f"netblame: warning: {problem}"))
    if args.output == "json":
        from netblame.render.report_json import render_json

        sys.stdout.write(render_json(report))
    elif args.output == "sarif":
        from netblame.api.check import rule_registry
        from netblame.render.sarif import render_sarif

        sys.stdout.write(render_sarif(report, rule_registry()))
    else:
        from netblame.render.report_table import render_table
        from netblame.render.terminal import Terminal

        render_table(report, Terminal.stdout(), verbose=args.verbose)
    if args.output != "table":
        for problem in report.errors:
            say(f"netblame: error: {problem}")
        for failure in report.failures:
            say(f"netblame: error: {failure}")
    sys.exit(exit_code(report, Severity.from_label(args.fail_on), args.exit_zero))


COMMAND = Command(DESCRIPTION, arguments, run)
