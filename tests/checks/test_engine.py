"""The rule engine: which rules run."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks import Registry, Rule, RuleMeta, run_rules
from netblame.findings import Diagnostic, Severity
from netblame.model.origin import Origin


def _rule(rule_id: str, enabled: bool) -> Rule:
    def check(subject: str) -> Iterator[Diagnostic]:
        yield Diagnostic(message=f"{rule_id} saw {subject}", fix="none.", location=Origin(object=subject))

    meta = RuleMeta(id=rule_id, name="demo", title="demo", severity=Severity.INFO, applies_to=str, summary="",
                    rationale="", fix="", references=(), examples=(), default_enabled=enabled)
    return Rule(meta=meta, check=check)


def test_a_rule_off_by_default_runs_only_when_selected() -> None:
    registry = Registry()
    registry.add(_rule("NB101", True))
    registry.add(_rule("NB102", False))
    assert run_rules(["x"], registry)[1] == ("NB101",)
    assert run_rules(["x"], registry, select=lambda r: True)[1] == ("NB101", "NB102")
