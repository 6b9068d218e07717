"""Entry point: a click group whose subcommands load lazily (fast ``--help``), and one place that
turns every error into a single line and an exit code."""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

import click

from netblame import __version__
from netblame.errors import NetblameError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

# name -> (module, attribute, one-line help). Each command module owns its options.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "check": ("netblame.cli.check", "check_cmd", "Check configs, snapshots and live nodes; explain every finding."),
    "collect": ("netblame.cli.collect", "collect_cmd", "Snapshot every network namespace on this machine (read-only)."),
    "trace": ("netblame.cli.trace", "trace_cmd", "Simulate a packet hop by hop and say where and why it stops."),
    "explain": ("netblame.cli.explain", "explain_cmd", "Show a rule's documentation page."),
    "dns": ("netblame.cli.dns", "dns_cmd",
            "Diagnose the node's resolver chain: DHCP, networkd, resolved, kubelet, CoreDNS."),
    "map": ("netblame.cli.map", "map_cmd", "Draw nodes, namespaces, devices and links: tree, DOT/SVG, Mermaid, HTML."),
    "report": ("netblame.cli.report", "report_cmd",
               "One page for both sides: verdict, findings by who acts, map, traces, plan, DNS."),
    "lab": ("netblame.cli.lab", "lab_cmd", "Build, break and inspect a miniature cluster network (needs root)."),
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="netblame")
def cli() -> None:
    """Is it the network? netblame plans address ranges, checks cluster and node configuration,
    maps the virtual network inside each node, traces packets hop by hop, and says what the
    physical network must provide.

    Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 bad usage or unreadable input.
    """


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI; never let a traceback reach the user.

    click runs outside its standalone mode so that Ctrl-C reaches this function (standalone, click turns
    it into "Aborted!" and exit 1); its usage errors, --help and --version keep click's output and codes.
    """
    try:
        code = cli.main(args=argv, prog_name="netblame", standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            _interrupted()
        click.echo("Aborted!", err=True)  # end of input at a prompt, as click reports it
        sys.exit(1)
    except NetblameError as exc:
        click.echo(f"netblame: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:  # one arriving where click does not turn it into Abort (before parsing)
        _interrupted()
    except Exception as exc:  # last resort: one line, not a traceback
        if os.environ.get("NETBLAME_DEBUG"):
            raise
        click.echo(f"netblame: internal error: {type(exc).__name__}: {exc} "
                   "(set NETBLAME_DEBUG=1 for the traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
    # a command that returns (rather than exiting) succeeded; an int is the code of a click Exit (--help)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _interrupted() -> NoReturn:
    click.echo("netblame: interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)
