"""Entry point: finds the command in a table and imports only its module (``--help`` and ``--version``
import none, nor argparse), and is the one place that turns every error into a single line and an exit
code."""

from __future__ import annotations

import os
import sys

from netblame import exit_codes
from netblame.cli._usage import CommandUsageError
from netblame.cli.commands import COMMANDS, top_help, top_usage
from netblame.errors import NetblameError
from netblame.render.terminal import columns

TYPE_CHECKING = False  # as in netblame/__init__.py: typing is not imported for --help
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

    from netblame.cli.parsing import Command, Parser


def kubectl_main(argv: list[str] | None = None) -> NoReturn:
    """``kubectl-netblame``: kubectl runs an executable of that name on PATH for ``kubectl netblame ...``
    (kubectl's plugin mechanism); usage lines then read ``kubectl netblame``."""
    main(argv, prog_name="kubectl netblame")


def main(argv: list[str] | None = None, prog_name: str = "netblame") -> NoReturn:
    """Run the CLI; never let a traceback reach the user."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        _top(args, prog_name)
    except CommandUsageError as exc:
        _usage_error(exc, prog_name)
    except NetblameError as exc:
        print(f"netblame: error: {exc}", file=sys.stderr)
        sys.exit(exit_codes.BAD_INPUT)
    except KeyboardInterrupt:
        print("netblame: interrupted", file=sys.stderr)
        sys.exit(exit_codes.INTERRUPTED)
    except Exception as exc:  # last resort: one line, not a traceback
        if os.environ.get("NETBLAME_DEBUG"):
            raise
        print(f"netblame: internal error: {type(exc).__name__}: {exc} (set NETBLAME_DEBUG=1 for the traceback)",
              file=sys.stderr)
        sys.exit(exit_codes.INTERNAL)
    sys.exit(exit_codes.OK)  # a command that returns (rather than exiting) succeeded


def _top(args: list[str], prog: str) -> None:
    """``netblame [--help|--version] COMMAND ...``, answered without argparse where it can be."""
    if not args:  # as a click group does: the help, on stderr, as a usage error
        sys.stderr.write(top_help(columns(), prog))
        sys.exit(exit_codes.BAD_INPUT)
    if "-h" in args[:1] or "--help" in args[:1]:
        sys.stdout.write(top_help(columns(), prog))
        sys.exit(exit_codes.OK)
    if args[0] == "--version":
        from netblame import __version__

        sys.stdout.write(f"netblame, version {__version__}\n")
        sys.exit(exit_codes.OK)
    if args[0].startswith("-"):
        raise CommandUsageError(f"No such option: {args[0]}")
    if args[0] not in COMMANDS:
        raise CommandUsageError(f"No such command {args[0]!r}.")
    import importlib

    command = importlib.import_module(COMMANDS[args[0]][0]).COMMAND
    run(command, f"{prog} {args[0]}", args[1:])


def run(command: Command, prog: str, argv: Sequence[str]) -> None:
    """Parse ``argv`` for ``command`` (and a subcommand of a group) and run it. A usage error raised
    while it runs is shown with its usage line."""
    parser = parser_of(command, prog)
    try:
        args = parser.parse(argv)
        rest = getattr(args, "command_argv", None)
        if command.subcommands and rest:
            name = rest[0]
            if name not in command.subcommands:
                raise CommandUsageError(f"No such command {name!r}.")
            run(command.subcommands[name], f"{prog} {name}", rest[1:])
            return
        if command.run is None:  # a group named alone: its help, as a usage error
            sys.stderr.write(parser.format_help(columns()))
            sys.exit(exit_codes.BAD_INPUT)
        command.run(args)
    except CommandUsageError as exc:
        if exc.parser is None:
            exc.parser = parser
        raise


def parser_of(command: Command, prog: str) -> Parser:
    """The parser for ``command`` run as ``prog``."""
    from netblame.cli.parsing import Parser

    parser = Parser(prog, command.description)
    command.arguments(parser)
    if command.subcommands:
        parser.subcommands(command.subcommands, optional=command.run is not None)
    return parser


def _usage_error(exc: CommandUsageError, prog: str) -> NoReturn:
    usage = exc.parser.format_usage().rstrip("\n") if exc.parser is not None else top_usage(prog)
    name = exc.parser.prog if exc.parser is not None else prog
    sys.stderr.write(f"{usage}\nTry '{name} --help' for help.\n\nError: {exc.message}\n")
    sys.exit(exit_codes.BAD_INPUT)
