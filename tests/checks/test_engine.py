"""The rule engine: which rules run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netblame.checks import (
    Registry,
    Rule,
    RuleMeta,
    Selection,
    default_registry,
    registry_for,
    rule_packages,
    run_rules,
)
from netblame.errors import InputError
from netblame.findings import Diagnostic, Severity
from netblame.model.cluster import ClusterNetwork
from netblame.model.origin import Origin

ROOT = Path(__file__).resolve().parents[2]


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
    assert run_rules(["x"], registry).ran == ("NB101",)
    assert run_rules(["x"], registry, Selection(select=("NB101", "NB102"))).ran == ("NB101", "NB102")
    assert run_rules(["x"], registry, Selection(select=("NB1",))).ran == ("NB101",)


def test_an_empty_registry_runs_no_rule() -> None:
    # an empty Registry is falsy; it must not be taken for "no registry given" (the default rules)
    network = ClusterNetwork()
    assert run_rules([network], Registry()).ran == ()
    assert run_rules([network]).ran  # without one, the default rules for the subject run


def test_select_and_ignore_take_ids_and_prefixes() -> None:
    registry = Registry()
    for rule_id in ("NB101", "NB102", "NB201", "NB301"):
        registry.add(_rule(rule_id, True))
    assert run_rules(["x"], registry, Selection.of(["nb1", "NB301"])).ran == ("NB101", "NB102", "NB301")
    assert run_rules(["x"], registry, Selection.of(ignore=["NB1,NB30"])).ran == ("NB201",)
    assert run_rules(["x"], registry, Selection.of(["NB1"], ["NB102"])).ran == ("NB101",)


def test_a_bad_selector_is_one_line() -> None:
    with pytest.raises(InputError, match=r"^--select: X1 is not a rule ID or ID prefix"):
        Selection.of(["x1"])


def test_a_rule_that_raises_is_recorded_and_the_others_run() -> None:
    def broken(subject: str) -> Iterator[Diagnostic]:
        raise KeyError("spec")
        yield  # pragma: no cover

    registry = Registry()
    registry.add(_rule("NB101", True))
    meta = RuleMeta(id="NB102", name="demo", title="demo", severity=Severity.INFO, applies_to=str, summary="",
                    rationale="", fix="", references=(), examples=())
    registry.add(Rule(meta=meta, check=broken))
    run = run_rules(["x"], registry)
    assert run.ran == ("NB101", "NB102")
    assert [f.rule for f in run.findings] == ["NB101"]
    assert [str(f) for f in run.failures] == ["rule NB102 failed: KeyError: 'spec'"]


def test_each_rule_package_declares_the_type_its_rules_read() -> None:
    packages = rule_packages()
    assert set(packages) == {"netblame.checks.cluster", "netblame.checks.dns", "netblame.checks.flags",
                             "netblame.checks.handoff",
                             "netblame.checks.node"}
    for rule in default_registry():
        package = next(p for p in packages if rule_module(rule).startswith(p + "."))
        applies = rule.meta.applies_to
        assert packages[package] == f"{applies.__module__}:{applies.__qualname__}", rule.meta.id


def rule_module(rule: Rule) -> str:
    return str(rule.check.__module__)


def test_only_the_rules_for_the_subjects_given_are_loaded() -> None:
    ids = {rule.meta.id[:3] for rule in registry_for([ClusterNetwork()])}
    assert ids == {"NB1"}
    code = ("import sys; from netblame.api.check import check; check(['examples/pi-cluster']);"
            "print(sorted(m for m in sys.modules if m.startswith(('netblame.checks.node', 'netblame.dataplane'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout
    assert out.strip() == "['netblame.checks.node']"  # the package, for its SUBJECT; no rule, no data plane
