"""The command table and the top-level help: ``netblame --help`` and ``netblame --version`` are answered
from here before argparse or any command is imported; a command's module is imported only when it runs."""

from __future__ import annotations

from netblame import exit_codes
from netblame.cli import _help

# name -> (module, one-line help). Each command module holds ``COMMAND``, a :class:`netblame.cli.parsing.Command`.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("netblame.cli.check", "Check configs, snapshots and live nodes; explain every finding."),
    "collect": ("netblame.cli.collect", "Snapshot every network namespace on this machine (read-only)."),
    "trace": ("netblame.cli.trace", "Simulate a packet hop by hop and say where and why it stops."),
    "explain": ("netblame.cli.explain", "Explain a rule, a log line or a whole log."),
    "choose": ("netblame.cli.choose", "Compare CNIs against your nodes and needs; recommend one."),
    "dns": ("netblame.cli.dns", "Diagnose the node's resolver chain: DHCP, networkd, resolved, kubelet, CoreDNS."),
    "plan": ("netblame.cli.plan", "Propose pod, service and node ranges for a new cluster and emit its configuration."),
    "handoff": ("netblame.cli.handoff", "What the physical network must provide: ports, MTU, routes or BGP, DHCP/DNS."),
    "map": ("netblame.cli.map", "Draw nodes, namespaces, devices and links: tree, DOT/SVG, Mermaid, HTML."),
    "report": ("netblame.cli.report",
               "One page for both sides: verdict, findings by who acts, map, traces, plan, DNS, hand-off."),
    "lab": ("netblame.cli.lab", "Build, break and inspect a miniature cluster network (needs root)."),
}

HELP = """Is it the network? netblame plans address ranges and compares CNIs before the install,
checks cluster and node configuration, maps the virtual network inside each node, traces packets
hop by hop through routes, tunnels and packet filters, explains error lines, and says what the
physical network must provide.

""" + exit_codes.HELP

OPTIONS = [("--version", "Show the version and exit."), ("-h, --help", "Show this message and exit.")]


def top_usage(prog: str) -> str:
    return f"Usage: {prog} [OPTIONS] COMMAND [ARGS]..."


def top_help(columns: int, prog: str = "netblame") -> str:
    """``netblame --help`` for a terminal ``columns`` wide."""
    return _help.page(top_usage(prog), HELP, OPTIONS, [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)],
                      columns)
