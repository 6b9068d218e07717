"""What the DNS library calls return: the node's chain with the report of the rules over it, and how a
name expands (:mod:`netblame.api.dns`)."""

from __future__ import annotations

from dataclasses import field

from netblame._record import Record, record
from netblame.dns.resolve import Expansion
from netblame.findings import Finding, Report
from netblame.model.dns import DnsSetup


@record
class DnsReport(Record):
    """What ``netblame dns`` found: the node's resolver chain (``setup``, read below ``root``) and the
    report of the NB2xx rules over it (findings, the files read, rules or sources that failed)."""

    root: str
    setup: DnsSetup
    report: Report

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings, worst first."""
        return self.report.findings


@record
class Resolution(Record):
    """How a name expands on the node and in a pod; with queries, the answers and the NB206 errors found."""

    setup: DnsSetup
    expansions: tuple[Expansion, ...]
    report: Report = field(default_factory=Report)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The NB206 errors found."""
        return self.report.findings
