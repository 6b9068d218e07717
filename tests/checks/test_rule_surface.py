"""What every rule shows people: severities as its page states them, and messages without Python reprs."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from test_rule_examples import CASES, ROOT, RULES, _flags, run_example

from netblame.api.check import check
from netblame.checks import Example, Rule

REPR = re.compile(r"(?<![\w'\"`])(None|\[\]|\{\}|set\(\)|<[a-z_.]+ object at 0x)(?![\w'\"`])")


def _severities_in_code(rule: Rule) -> set[str]:
    """Every severity the rule's module names (``Severity.WARNING``), the RuleMeta's own included."""
    module = importlib.import_module(rule.check.__module__)
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text())
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name) and node.value.id in ("Severity", "Sev")
            and node.attr in ("ERROR", "WARNING", "INFO")}


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_every_severity_a_rule_can_give_is_on_its_page(rule: Rule) -> None:
    page = (ROOT / rule.meta.doc).read_text()
    header = next(line for line in page.splitlines() if "· severity: " in line)
    documented = {rule.meta.severity.name} | {severity.name for severity, _ in rule.meta.also}
    assert _severities_in_code(rule) <= documented, f"{rule.meta.id}: a severity the code gives is not documented"
    assert f"severity: {rule.meta.severity.label}" in header
    for severity, when in rule.meta.also:
        assert f"({severity.label} {when})" in header


@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.meta.id}-{e.name}" for r, e in CASES])
def test_example_findings_have_a_documented_severity_and_no_repr(rule: Rule, example: Example,
                                                                 tmp_path: Path) -> None:
    fired = run_example(example, tmp_path)
    if rule.meta.id not in fired:
        return
    report = check([str(tmp_path / n) for n, _ in example.files], flags=_flags(example.args)[0])
    documented = {rule.meta.severity} | {severity for severity, _ in rule.meta.also}
    for finding in report.findings:
        if finding.rule != rule.meta.id:
            continue
        assert finding.severity in documented, (finding.rule, finding.severity)
        for text in (finding.message, finding.fix, str(finding.location)):
            assert not REPR.search(text), text
