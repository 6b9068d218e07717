"""``netblame dns`` and ``dns resolve`` as JSON (``netblame/dns/v1``, ``netblame/dns-resolve/v1``;
docs/dns.md)."""

from __future__ import annotations

from pathlib import Path

import orjson

from netblame.dns.resolve import RESOLVE_SCHEMA
from netblame.dns.results import DnsReport, Resolution
from netblame.dns.view import DNS_SCHEMA, chain_view, notes_view


def _dump(document: dict[str, object]) -> str:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_dns_json(dns: DnsReport) -> str:
    """The chain, its notes and the findings."""
    document: dict[str, object] = {"schema": DNS_SCHEMA, "root": str(Path(dns.root)), "chain": chain_view(dns.setup),
                                   "notes": notes_view(dns.setup), "findings": [f.to_json() for f in dns.findings]}
    if dns.report.failures:
        document["incomplete"] = [f.to_json() for f in dns.report.failures]
    return _dump(document)


def render_resolve_json(name: str, resolution: Resolution) -> str:
    """The expansions of ``name`` and the NB206 errors found."""
    return _dump({"schema": RESOLVE_SCHEMA, "name": name, "expansions": [e.to_json() for e in resolution.expansions],
                  "findings": [f.to_json() for f in resolution.findings]})
