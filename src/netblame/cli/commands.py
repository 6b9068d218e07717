"""The command table and the top-level help, without click: ``netblame --help`` and ``netblame
--version`` are answered from here (:mod:`netblame.cli.entry`) before click or any command is imported;
:mod:`netblame.cli.main` builds the click group from the same table and text."""

from __future__ import annotations

from netblame import exit_codes

# name -> (module, attribute, one-line help). Each command module owns its options.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("netblame.cli.check", "check_cmd", "Check configs, snapshots and live nodes; explain every finding."),
    "collect": ("netblame.cli.collect", "collect_cmd", "Snapshot every network namespace on this machine (read-only)."),
    "trace": ("netblame.cli.trace", "trace_cmd", "Simulate a packet hop by hop and say where and why it stops."),
    "explain": ("netblame.cli.explain", "explain_cmd", "Explain a rule, a log line or a whole log."),
    "choose": ("netblame.cli.choose", "choose_cmd", "Compare CNIs against your nodes and needs; recommend one."),
    "dns": ("netblame.cli.dns", "dns_cmd",
            "Diagnose the node's resolver chain: DHCP, networkd, resolved, kubelet, CoreDNS."),
    "plan": ("netblame.cli.plan", "plan_cmd",
             "Propose pod, service and node ranges for a new cluster and emit its configuration."),
    "handoff": ("netblame.cli.handoff", "handoff_cmd",
                "What the physical network must provide: ports, MTU, routes or BGP, DHCP/DNS."),
    "map": ("netblame.cli.map", "map_cmd", "Draw nodes, namespaces, devices and links: tree, DOT/SVG, Mermaid, HTML."),
    "report": ("netblame.cli.report", "report_cmd",
               "One page for both sides: verdict, findings by who acts, map, traces, plan, DNS, hand-off."),
    "lab": ("netblame.cli.lab", "lab_cmd", "Build, break and inspect a miniature cluster network (needs root)."),
}

HELP = """Is it the network? netblame plans address ranges and compares CNIs before the install,
checks cluster and node configuration, maps the virtual network inside each node, traces packets
hop by hop through routes, tunnels and packet filters, explains error lines, and says what the
physical network must provide.

""" + exit_codes.HELP

MAX_WIDTH = 100
OPTIONS = (("--version", "Show the version and exit."), ("-h, --help", "Show this message and exit."))


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    """Paragraphs of ``text`` filled to ``width`` as click fills help text (textwrap, words kept whole)."""
    import textwrap

    out: list[str] = []
    for number, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        if number:
            out.append("")
        words = " ".join(line.strip() for line in paragraph.splitlines())
        out += textwrap.wrap(words, width, initial_indent=first if first is not None and not number else indent,
                             subsequent_indent=indent, break_long_words=False)
    return out


def _table(rows: tuple[tuple[str, str], ...], width: int) -> list[str]:
    """Two columns as click's ``write_dl`` lays them out at indent 2."""
    first = max(len(name) for name, _ in rows) + 2
    text_width = max(width - first - 2, 10)
    out: list[str] = []
    for name, text in rows:
        lines = _wrap(text, text_width, "") or [""]
        out.append(f"  {name:<{first - 2}}  {lines[0]}".rstrip())
        out += [f"{'':{first + 2}}{line}" for line in lines[1:]]
    return out


def top_help(columns: int) -> str:
    """``netblame --help`` for a terminal ``columns`` wide, as click prints it."""
    width = max(min(columns, MAX_WIDTH) - 2, 50)
    lines = ["Usage: netblame [OPTIONS] COMMAND [ARGS]...", "", *_wrap(HELP, width, "  "), "", "Options:",
             *_table(OPTIONS, width), "", "Commands:",
             *_table(tuple((name, COMMANDS[name][2]) for name in sorted(COMMANDS)), width)]
    return "\n".join(lines) + "\n"
