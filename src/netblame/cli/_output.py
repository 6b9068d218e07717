"""Shared output plumbing for commands: the -o option, consoles, exit codes from a report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click
from rich.console import Console

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
    """0 below the threshold, 1 at or above it, 2 when nothing could be checked because of bad input."""
    if report.failed:
        return 2
    if exit_zero:
        return 0
    worst = report.worst
    return 1 if worst is not None and worst >= fail_on else 0
