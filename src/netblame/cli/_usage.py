"""A usage error of the command being run (kept apart from argparse, so the entry point catches it
without importing argparse for ``--help``)."""

from __future__ import annotations

TYPE_CHECKING = False  # as in netblame/__init__.py: typing is not imported for --help

if TYPE_CHECKING:
    from netblame.cli.parsing import Parser


class CommandUsageError(Exception):
    """A usage error: printed after the usage line of the command it belongs to; exit 2."""

    def __init__(self, message: str, parser: Parser | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parser = parser


def bad_value(hint: str, message: str) -> CommandUsageError:
    """A value that cannot work, worded ``Invalid value for --mark: ...``."""
    return CommandUsageError(f"Invalid value for {hint}: {message}")
