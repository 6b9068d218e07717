"""Recognised log lines as text or JSON (``netblame/explain/v1``, documented in docs/explain.md)."""

from __future__ import annotations

from typing import Any

import orjson

from netblame.logs import LogPattern, LogSummary, Match

SCHEMA = "netblame/explain/v1"


def _pattern_dict(pattern: LogPattern) -> dict[str, Any]:
    return {
        "id": pattern.id,
        "component": pattern.component.value,
        "meaning": pattern.meaning,
        "next": pattern.next_step,
        "rules": list(pattern.rules),
        "source": pattern.source,
    }


def match_text(match: Match) -> str:
    """What one recognised line means and what to run next."""
    p = match.pattern
    lines = [
        f"{p.id}  ({p.component.value})",
        f"  matched: {match.matched}",
        f"  meaning: {p.meaning}",
        f"  next:    {p.next_step}",
        f"  source:  {p.source}",
    ]
    return "\n".join(lines) + "\n"


def summary_text(summary: LogSummary, name: str) -> str:
    """One block per recognised pattern, in order of first appearance."""
    out = [f"{name}: {summary.lines_read} line(s) read, {summary.recognised_lines} recognised, "
           f"{len(summary.counts)} known pattern(s)"]
    for c in summary.counts:
        p = c.pattern
        out += [
            "",
            f"{p.id}  ({p.component.value})  x{c.count}, first at line {c.first_line}",
            f"  line {c.first_line}: {c.first_text}",
            f"  meaning: {p.meaning}",
            f"  next:    {p.next_step}",
            f"  source:  {p.source}",
        ]
    return "\n".join(out) + "\n"


def summary_json(summary: LogSummary) -> str:
    """The whole log as ``netblame/explain/v1``."""
    doc = {
        "schema": SCHEMA,
        "lines_read": summary.lines_read,
        "recognised_lines": summary.recognised_lines,
        "patterns": [{**_pattern_dict(c.pattern), "count": c.count, "first_line": c.first_line,
                      "first_text": c.first_text} for c in summary.counts],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
