"""Shared output plumbing for commands: the -o option, consoles, exit codes from a report."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import click

from netblame import Report, Severity, exit_codes
from netblame.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

EXIT_INCOMPLETE = exit_codes.INCOMPLETE

F = TypeVar("F", bound=Callable[..., object])


def console(stderr: bool = False) -> Console:
    """A rich console; plain text when not a terminal, so pipes and CI logs stay readable."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 120)


def output_option(*choices: str) -> Callable[[F], F]:
    """``-o/--output`` with the given formats; the first is the default."""
    return click.option("-o", "--output", "output", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="Output format.")


def selection_options(func: F) -> F:
    """``--select`` and ``--ignore``: rules by ID or ID prefix, repeatable or comma-separated."""
    func = click.option("--ignore", multiple=True, metavar="ID", help="Skip rules by ID or prefix, e.g. "
                        "NB206 or NB3 (repeatable or comma-separated).")(func)
    return click.option("--select", multiple=True, metavar="ID", help="Run only rules by ID or prefix, e.g. NB2 "
                        "or NB101,NB104; a rule off by default runs when named by its ID.")(func)


@contextmanager
def usage() -> Iterator[None]:
    """Turn the library's :class:`~netblame.errors.UsageError` into click's usage error (exit 2)."""
    try:
        yield
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


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
