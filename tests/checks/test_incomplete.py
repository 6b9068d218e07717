"""A rule or a source that raises is recorded, the run goes on, and the report and exit code say so;
--select/--ignore pick the rules of check and dns."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.clirun import invoke

from netblame.api.check import check
from netblame.checks import Registry, Rule, RuleMeta, default_registry
from netblame.findings import Diagnostic, Severity
from netblame.model.cluster import ClusterNetwork
from netblame.sources import kubeadm

ROOT = Path(__file__).resolve().parents[2]
PI = str(ROOT / "examples" / "pi-cluster")
INCOMPLETE = 4  # the documented exit code (docs/report-schema.md)
UBUNTU = str(ROOT / "tests" / "data" / "dns" / "roots" / "ubuntu-24.04-broken")


def _broken(subject: ClusterNetwork) -> Iterator[Diagnostic]:
    raise KeyError("podSubnet")
    yield  # pragma: no cover


def test_a_rule_that_raises_leaves_the_others_running() -> None:
    registry = Registry()
    for rule in default_registry():
        registry.add(rule)
    meta = RuleMeta(id="NB199", name="broken", title="broken", severity=Severity.ERROR, applies_to=ClusterNetwork,
                    summary="", rationale="", fix="", references=(), examples=())
    registry.add(Rule(meta=meta, check=_broken))
    report = check([PI], registry=registry)
    assert [f.rule for f in report.findings] == ["NB101"]
    assert [str(f) for f in report.failures] == ["rule NB199 failed: KeyError: 'podSubnet'"]
    assert report.incomplete


def test_a_source_that_raises_is_recorded_with_its_input(monkeypatch: pytest.MonkeyPatch) -> None:
    source = kubeadm.SOURCES[0]

    def boom(doc: object) -> list[object]:
        raise ValueError("unexpected shape\nsecond line")

    monkeypatch.setattr(type(source), "read", lambda self, doc: boom(doc))
    result = invoke("check", PI, "-o", "json")
    assert result.exit_code == INCOMPLETE, result.output
    report = json.loads(result.stdout)
    assert report["incomplete"] == [{"what": f"{PI}/kubeadm.yaml ({source.kind})",
                                     "message": "ValueError: unexpected shape"}]
    assert f"netblame: error: {PI}/kubeadm.yaml ({source.kind}) failed: ValueError: unexpected shape" in result.stderr


def test_check_ignore_and_select() -> None:
    assert invoke("check", PI).exit_code == 1
    assert invoke("check", PI, "--ignore", "NB101").exit_code == 0
    assert invoke("check", PI, "--select", "nb2,NB3").exit_code == 0
    assert invoke("check", PI, "--select", "NB1").exit_code == 1


def test_a_bad_selector_is_a_usage_error() -> None:
    result = invoke("check", PI, "--select", "E501")
    assert result.exit_code == 2
    assert "--select: E501 is not a rule ID or ID prefix" in result.stderr


def test_dns_select_and_ignore() -> None:
    found = json.loads(invoke("dns", "--root", UBUNTU, "-o", "json").stdout)
    assert {f["rule"] for f in found["findings"]} >= {"NB201", "NB202"}
    only = invoke("dns", "--root", UBUNTU, "-o", "json", "--select", "NB202")
    assert {f["rule"] for f in json.loads(only.stdout)["findings"]} == {"NB202"}
    assert invoke("dns", "--root", UBUNTU, "--ignore", "NB2").exit_code == 0
