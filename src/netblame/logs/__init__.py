"""Recognising networking error lines of Kubernetes components, CNIs and CoreDNS (pure matching).

``recognise(line)`` names the known pattern a line matches; ``summarise(lines)`` counts matches per
pattern in a whole log. The patterns are data in the ``catalogue_*`` modules, each with its upstream
source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from netblame.logs import catalogue_cni, catalogue_dns, catalogue_kube
from netblame.logs.pattern import Component, LogPattern, regex_from_format

# Order matters where one line holds two known messages: the wrapper (more specific) comes first,
# e.g. "failed to allocate cidr ... : CIDR allocation failed; ..." is the allocator's line.
PATTERNS: tuple[LogPattern, ...] = catalogue_kube.PATTERNS + catalogue_cni.PATTERNS + catalogue_dns.PATTERNS


@dataclass(frozen=True, slots=True)
class Match:
    """A line that matched a known pattern."""

    pattern: LogPattern
    line: str
    matched: str


@dataclass(frozen=True, slots=True)
class PatternCount:
    """How often one pattern occurred in a log, and where first."""

    pattern: LogPattern
    count: int
    first_line: int
    first_text: str


@dataclass(frozen=True, slots=True)
class LogSummary:
    """The recognised patterns of a log, in order of first appearance, and the number of lines read."""

    counts: tuple[PatternCount, ...]
    lines_read: int

    @property
    def recognised_lines(self) -> int:
        """How many lines matched some pattern."""
        return sum(c.count for c in self.counts)


def recognise(line: str, patterns: tuple[LogPattern, ...] = PATTERNS) -> Match | None:
    """The first pattern ``line`` matches, or None."""
    for pattern in patterns:
        found = pattern.compiled().search(line)
        if found is not None:
            return Match(pattern, line, found.group())
    return None


def summarise(lines: Iterable[str], patterns: tuple[LogPattern, ...] = PATTERNS) -> LogSummary:
    """Count matches per pattern; line numbers start at 1."""
    first: dict[str, tuple[int, str]] = {}
    counts: dict[str, int] = {}
    by_id = {p.id: p for p in patterns}
    read = 0
    for number, line in enumerate(lines, start=1):
        read = number
        match = recognise(line, patterns)
        if match is None:
            continue
        key = match.pattern.id
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, (number, line.rstrip("\n")))
    ordered = sorted(first, key=lambda k: first[k][0])
    return LogSummary(
        counts=tuple(PatternCount(by_id[k], counts[k], first[k][0], first[k][1]) for k in ordered),
        lines_read=read,
    )


__all__ = ["PATTERNS", "Component", "LogPattern", "LogSummary", "Match", "PatternCount", "recognise",
           "regex_from_format", "summarise"]
