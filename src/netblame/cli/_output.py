"""Shared output plumbing for commands: the -o option, consoles, exit codes from a report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click
from rich.console import Console

from netblame import exit_codes
from netblame.findings import Report, Severity

F = TypeVar("F", bound=Callable[..., object])


def console(stderr: bool = False) -> Console:
    """A rich console; plain text when not a terminal, so pipes and CI logs stay readable."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 120)


def output_option(*choices: str) -> Callable[[F], F]:
    """``-o/--output`` with the given formats; the first is the default."""
    return click.option("-o", "--output", "output", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="Output format.")


def exit_code(report: Report, fail_on: Severity, exit_zero: bool) -> int:
    """0 below the threshold, 1 at or above it, 2 when an input could not be read (even one of many: the
    run is incomplete, and an input is never skipped silently)."""
    if report.errors:
        return exit_codes.BAD_INPUT
    if exit_zero:
        return exit_codes.OK
    return findings_code(report.worst, fail_on)


def findings_code(worst: Severity | None, fail_on: Severity) -> int:
    """1 when the worst finding is at or above ``fail_on``, else 0."""
    return exit_codes.FINDINGS if worst is not None and worst >= fail_on else exit_codes.OK
