"""Every rule's documented examples are tests: bad ones make it fire, good ones keep it quiet.

Meta-tests keep the registry complete: unique IDs, a fix sentence, at least one example of each
kind, and generated doc pages that match the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netblame.api.check import ClusterFlags, check
from netblame.checks import Example, Rule, default_registry
from netblame.checks.docs import generate

ROOT = Path(__file__).resolve().parents[2]
RULES = list(default_registry())
CASES = [(rule, ex) for rule in RULES for ex in rule.meta.examples]


def _flags(args: tuple[str, ...]) -> tuple[ClusterFlags, list[str]]:
    """The few `check` flags examples use, parsed the way the CLI does."""
    nodes = mask = max_pods = None
    lan: list[str] = []
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg == "--nodes":
            nodes = int(next(it))
        elif arg == "--node-mask":
            mask = int(next(it))
        elif arg == "--max-pods":
            max_pods = int(next(it))
        elif arg == "--lan":
            lan.append(next(it))
        else:
            rest.append(arg)
    return ClusterFlags(nodes=nodes, lan=tuple(lan), node_mask=mask, max_pods=max_pods), rest


def run_example(example: Example, tmp_path: Path) -> list[str]:
    """Write the example's files and check them; return the rule IDs that fired."""
    for name, content in example.files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    flags, rest = _flags(example.args)
    report = check([str(tmp_path / n) for n, _ in example.files], flags=flags)
    assert not rest, f"example uses arguments the test runner does not know: {rest}"
    assert not report.errors, [str(e) for e in report.errors]
    return [f.rule for f in report.findings]


@pytest.mark.parametrize(("rule", "example"), CASES, ids=[f"{r.meta.id}-{e.name}" for r, e in CASES])
def test_example(rule: Rule, example: Example, tmp_path: Path) -> None:
    fired = run_example(example, tmp_path)
    if example.fires:
        assert rule.meta.id in fired, f"{rule.meta.id} should fire on {example.name!r}; fired: {fired}"
    else:
        assert rule.meta.id not in fired, f"{rule.meta.id} should stay quiet on {example.name!r}"


@pytest.mark.parametrize("rule", RULES, ids=[r.meta.id for r in RULES])
def test_rule_is_well_formed(rule: Rule) -> None:
    m = rule.meta
    assert m.fix.endswith("."), "the fix is a sentence ending with a period"
    assert m.rationale and m.summary and m.title
    assert any(e.fires for e in m.examples), "at least one example that makes the rule fire"
    assert any(not e.fires for e in m.examples), "at least one example that keeps it quiet"
    assert m.name == m.name.lower() and " " not in m.name


def test_docs_match_the_code() -> None:
    pages = generate(default_registry())
    docs = ROOT / "docs" / "rules"
    on_disk = {p.name: p.read_text() for p in docs.glob("*.md")}
    assert on_disk == pages, "docs/rules drifted: run `python -m netblame.checks.docs docs/rules`"
