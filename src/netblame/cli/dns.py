"""``netblame dns``: the node's resolver chain and its findings; ``dns resolve``; ``dns probe``."""

from __future__ import annotations

import sys

from netblame import exit_codes
from netblame.cli._output import console, exit_code, fail_on_option, output_option, say, selection_options, usage
from netblame.cli._usage import CommandUsageError, bad_value
from netblame.cli.parsing import Command, Namespace, Parser, many, number, path

DESCRIPTION = """Show the node's resolver chain (DHCP lease and offers, networkd/netplan/NetworkManager/ifupdown,
systemd-resolved, /etc/resolv.conf, kubelet and the pod resolv.conf it writes, CoreDNS) and run the
NB2xx rules over it. Read-only.

\b
Examples:
  netblame dns
  netblame dns --root ./node1-etc-run --file coredns-cm.yaml
  sudo netblame dns --probe eth0
  netblame dns resolve nas --query"""

RESOLVE = """Show how NAME expands through the search list with the configured ndots, on the node and in a
ClusterFirst pod; with --query, ask each candidate and mark the winner. Search domains that answer
for any name (wildcard records) are reported as NB206."""


def root_option(parser: Parser) -> None:
    """``--root DIR``: read the node's files below DIR (every dns subcommand takes it)."""
    parser.option("--root", default="/", show_default=True, metavar="DIR", value=path(exists=True, file_okay=False),
                  help="Read the node's files below DIR (a copy of its /etc, /run and /var/lib).")


def _check_interface(iface: str) -> None:
    from netblame.api.dns import interface_exists

    if not interface_exists(iface):
        raise bad_value("--probe", f"no interface {iface!r} in this network namespace")


def arguments(parser: Parser) -> None:
    root_option(parser)
    parser.option("--probe", dest="probe_iface", metavar="IFACE",
                  help="Also ask the DHCP server on IFACE what it offers (live, needs root) and test the offered "
                  "domains for wildcard records.")
    parser.option("--probe-timeout", value=number(0.5, 60), show_default="5.0",
                  help="Seconds to collect DHCP offers (dnsmasq holds a first offer about 3 s).")
    parser.option("--file", dest="files", repeat=True, value=path(exists=True), metavar="PATH",
                  help="An extra input read by content, e.g. the CoreDNS ConfigMap (repeatable).")
    output_option(parser, "table", "json")
    fail_on_option(parser)
    selection_options(parser)


def run(args: Namespace) -> None:
    root, probe_iface = args.root, args.probe_iface
    if probe_iface is None and args.probe_timeout is not None:
        raise CommandUsageError("--probe-timeout goes with --probe IFACE")
    probe_timeout = 5.0 if args.probe_timeout is None else args.probe_timeout
    from netblame import Severity
    from netblame.api.dns import diagnose_dns

    if probe_iface is not None:
        _check_interface(probe_iface)
        say(f"probing DHCP on {probe_iface} for {probe_timeout:g}s...")
    with usage():
        dns = diagnose_dns(root, files=many(args.files), probe=probe_iface, probe_timeout=probe_timeout,
                           select=many(args.select), ignore=many(args.ignore))
    for problem in dns.report.errors:
        say(f"netblame: error: {problem}")
    if args.output == "json":
        from netblame.render.dns_json import render_dns_json

        sys.stdout.write(render_dns_json(dns))
    else:
        from netblame.render.dns_chain import render_setup
        from netblame.render.report_table import render_table
        from netblame.render.terminal import Terminal

        out = console()
        out.print(f"Resolver chain of {'this machine' if root == '/' else root}", style="bold")
        render_setup(dns.setup, out)
        out.print()
        render_table(dns.report, Terminal.stdout())
    sys.exit(exit_code(dns.report, Severity.from_label(args.fail_on), exit_zero=False))


def resolve_arguments(parser: Parser) -> None:
    parser.argument("NAME")
    root_option(parser)
    parser.option("--pod-namespace", default="default", show_default=True, help="Namespace of the pod to expand for.")
    parser.flag("--query", help="Ask the real servers for each candidate and mark the answer that wins.")
    parser.option("--server", dest="servers", repeat=True, metavar="IP[#PORT]",
                  help="Ask this server instead of the configured ones (repeatable).")
    output_option(parser, "table", "json")


def resolve_run(args: Namespace) -> None:
    from netblame.api.dns import resolve_name

    name = args.name
    found = resolve_name(args.root, name, namespace=args.pod_namespace, servers=many(args.servers), query=args.query)
    if args.output == "json":
        from netblame.render.dns_json import render_resolve_json

        sys.stdout.write(render_resolve_json(name, found))
    else:
        from netblame.render.dns_chain import render_expansions
        from netblame.render.report_table import render_table
        from netblame.render.terminal import Terminal

        render_expansions(list(found.expansions), console())
        if found.findings:
            render_table(found.report, Terminal.stdout())
    sys.exit(exit_codes.FINDINGS if found.findings else exit_codes.OK)


def _subcommands() -> dict[str, Command]:
    """``resolve``, and ``probe`` when the DHCP probe is part of the build."""
    commands = {"resolve": Command(RESOLVE, resolve_arguments, resolve_run,
                                   summary="Show how NAME expands through the search list.")}
    try:
        from netblame.cli.dns_probe import PROBE
    except ImportError:
        return commands
    return {**commands, "probe": PROBE}


COMMAND = Command(DESCRIPTION, arguments, run, subcommands=_subcommands())
