"""``netblame explain`` as library calls: the rules and their pages, and what log lines mean."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from netblame.checks import Rule, default_registry
from netblame.checks.docs import render_page
from netblame.logs import PATTERNS, LogPattern, LogSummary, Match, recognise, summarise

__all__ = ["explain_line", "explain_lines", "patterns", "read_log", "rule_page", "rules"]


def rules() -> list[Rule]:
    """Every registered rule, in ID order."""
    return list(default_registry())


def rule_page(rule_id: str) -> str | None:
    """The Markdown page of rule ``rule_id`` (as in docs/rules/), or None when there is no such rule."""
    found = default_registry().get(rule_id)
    return None if found is None else render_page(found)


def patterns() -> Sequence[LogPattern]:
    """Every recognised log pattern."""
    return PATTERNS


def explain_line(line: str) -> Match | None:
    """The known pattern that one log line matches, or None."""
    return recognise(line)


def explain_lines(lines: Iterable[str]) -> LogSummary:
    """One summary per recognised pattern over a whole log: counts and first line numbers."""
    return summarise(lines)


def read_log(path: Path) -> list[str]:
    """A log file's lines (undecodable bytes replaced); raises OSError when it cannot be read."""
    return path.read_text(encoding="utf-8", errors="replace").splitlines()
