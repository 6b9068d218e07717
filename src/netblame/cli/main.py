"""Entry point: a click group whose subcommands load lazily (fast ``--help``), and one place that
turns every error into a single line and an exit code."""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

import click

from netblame import __version__
from netblame.cli.commands import COMMANDS, HELP, MAX_WIDTH
from netblame.errors import NetblameError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

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


@click.group(cls=LazyGroup, help=HELP, context_settings={"help_option_names": ["-h", "--help"],
                                                          "max_content_width": MAX_WIDTH})
@click.version_option(__version__, prog_name="netblame")
def cli() -> None:
    pass


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
