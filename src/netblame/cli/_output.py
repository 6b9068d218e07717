"""Shared output plumbing for commands: the -o and rule-selection options, consoles, messages on
standard error, exit codes from a report."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from netblame import exit_codes
from netblame.cli._usage import CommandUsageError
from netblame.cli.parsing import Parser, choice
from netblame.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from netblame import Report, Severity

EXIT_INCOMPLETE = exit_codes.INCOMPLETE
SEVERITIES = ("error", "warning", "info")


def console(stderr: bool = False) -> Console:
    """A rich console; plain text when not a terminal, so pipes and CI logs stay readable."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 120)


def say(text: str) -> None:
    """One line on standard error (progress, warnings, what was written where)."""
    print(text, file=sys.stderr, flush=True)


def output_option(parser: Parser, *choices: str) -> None:
    """``-o/--output`` with the given formats; the first is the default."""
    parser.option("-o", "--output", dest="output", value=choice(choices), default=choices[0], show_default=True,
                  help="Output format.")


def fail_on_option(parser: Parser) -> None:
    """``--fail-on``: the lowest severity that makes the exit code 1."""
    parser.option("--fail-on", value=choice(SEVERITIES), default="error", show_default=True,
                  help="Lowest severity that makes the exit code 1.")


def selection_options(parser: Parser) -> None:
    """``--select`` and ``--ignore``: rules by ID or ID prefix, repeatable or comma-separated."""
    parser.option("--select", repeat=True, metavar="ID", help="Run only rules by ID or prefix, e.g. NB2 "
                  "or NB101,NB104; a rule off by default runs when named by its ID.")
    parser.option("--ignore", repeat=True, metavar="ID", help="Skip rules by ID or prefix, e.g. "
                  "NB206 or NB3 (repeatable or comma-separated).")


@contextmanager
def usage() -> Iterator[None]:
    """Turn the library's :class:`~netblame.errors.UsageError` into a usage error of the command (exit 2)."""
    try:
        yield
    except UsageError as exc:
        raise CommandUsageError(str(exc)) from None


def exit_code(report: Report, fail_on: Severity, exit_zero: bool) -> int:
    """0 below the threshold, 1 at or above it, 2 when an input could not be read (even one of many: an
    input is never skipped silently), 4 when a rule or a source raised (findings may be missing)."""
    if report.errors:
        return exit_codes.BAD_INPUT
    if report.incomplete:
        return exit_codes.INCOMPLETE
    if exit_zero:
        return exit_codes.OK
    return findings_code(report.worst, fail_on)


def findings_code(worst: Severity | None, fail_on: Severity) -> int:
    """1 when the worst finding is at or above ``fail_on``, else 0."""
    return exit_codes.FINDINGS if worst is not None and worst >= fail_on else exit_codes.OK
