"""The report as JSON (``netblame/report/v1``, documented in docs/report-schema.md)."""

from __future__ import annotations

import orjson

from netblame.findings import Report


def render_json(report: Report) -> str:
    """Pretty JSON with a trailing newline."""
    return orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
