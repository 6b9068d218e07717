"""Findings and reports: what analyses return, as data. Renderers in ``render/`` only show them."""

from __future__ import annotations

import enum
from dataclasses import field

from netblame._record import Record, record
from netblame.model.origin import Origin
from netblame.model.provenance import ValueRecord

REPORT_SCHEMA = "netblame/report/v1"


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``max()`` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """Lower-case name used in JSON and tables."""
        return self.name.lower()

    @property
    def sarif_level(self) -> str:
        """SARIF 2.1.0 ``level``."""
        return {Severity.INFO: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}[self]

    @classmethod
    def from_label(cls, label: str) -> Severity:
        """Inverse of :attr:`label`."""
        return cls[label.upper()]


@record
class Diagnostic(Record):
    """What a rule's check function yields: the wrong thing in the user's values and its fix.

    The engine adds rule ID, title, severity (unless overridden here) and the doc link.
    """

    message: str
    fix: str
    location: Origin
    severity: Severity | None = None


@record
class Finding(Record):
    """A diagnostic in context: which rule, how severe, where it is documented."""

    rule: str
    severity: Severity
    title: str
    message: str
    fix: str
    location: Origin
    doc: str

    def to_json(self) -> dict[str, object]:
        """One entry of the report's ``findings`` list."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "title": self.title,
            "message": self.message,
            "fix": self.fix,
            "location": self.location.to_json(),
            "doc": self.doc,
        }


@record
class InputRecord(Record):
    """An input that was read (``kind`` says what it was recognised as) or skipped (``kind`` None)."""

    path: str
    kind: str | None
    note: str = ""

    def to_json(self) -> dict[str, object]:
        """One entry of the report's ``inputs`` list."""
        out: dict[str, object] = {"path": self.path, "kind": self.kind, "status": "read" if self.kind else "skipped"}
        if self.note:
            out["note"] = self.note
        return out


@record
class InputProblem(Record):
    """An input that could not be read; the run goes on without it."""

    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        """One entry of the report's ``errors`` list."""
        out: dict[str, object] = {"message": self.message}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        return out


@record
class RunFailure(Record):
    """A rule or a source that raised: the run went on without it, so the report is incomplete."""

    what: str
    """``rule NB102``, or the input and the source reading it: ``nodes.json (kubectl-nodes)``."""
    message: str

    def __str__(self) -> str:
        return f"{self.what} failed: {self.message}"

    def to_json(self) -> dict[str, object]:
        """One entry of the report's ``incomplete`` list."""
        return {"what": self.what, "message": self.message}


def one_line(exc: BaseException) -> str:
    """An unexpected exception as one line for a report: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


@record
class Report(Record):
    """Everything one check run produced."""

    findings: tuple[Finding, ...] = ()
    inputs: tuple[InputRecord, ...] = ()
    errors: tuple[InputProblem, ...] = ()
    rules_run: tuple[str, ...] = field(default=())
    values: tuple[ValueRecord, ...] = ()
    failures: tuple[RunFailure, ...] = ()

    @property
    def incomplete(self) -> bool:
        """True when a rule or a source raised: findings may be missing."""
        return bool(self.failures)

    @property
    def worst(self) -> Severity | None:
        """The most severe finding's severity, or None when there are none."""
        return max((f.severity for f in self.findings), default=None)

    @property
    def checked_anything(self) -> bool:
        """False when no input could be read, so there was nothing to check."""
        return any(i.kind for i in self.inputs)

    @property
    def failed(self) -> bool:
        """True when bad input left nothing to check: the run says nothing about the cluster."""
        return bool(self.errors) and not self.checked_anything

    def to_json(self) -> dict[str, object]:
        """The ``netblame/report/v1`` document (docs/report-schema.md)."""
        return {
            "schema": REPORT_SCHEMA,
            "findings": [f.to_json() for f in self.findings],
            "inputs": [i.to_json() for i in self.inputs],
            "errors": [e.to_json() for e in self.errors],
            "incomplete": [f.to_json() for f in self.failures],
            "values": [v.to_json() for v in self.values],
        }
