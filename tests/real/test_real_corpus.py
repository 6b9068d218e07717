"""The real-world corpus (tests/data/real): inputs copied verbatim from public issue threads, documentation
and repositories, each with a ``case.yaml`` naming its source, what the thread diagnosed, and which rules
netblame must and must not report. Every case runs through the same ``check`` path as the CLI.

A case marked ``needs: distros`` uses readers of the distribution and flag sources (k3s, RKE2, k8s-snap,
pasted command lines); it is expected to fail until those readers are present, and passes once they are.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from netblame.check import check

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real"
CASES = sorted(p.parent for p in REAL.glob("*/case.yaml"))
CASE_KEYS = {"source", "input", "diagnosis", "report", "not_report", "kinds", "errors", "needs"}
REPR = re.compile(r"\bNone\b|\[\]|\[['\"]|\{['\"]|<[a-zA-Z_.]+ object at ")


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load((path / "case.yaml").read_text())
    assert isinstance(case, dict) and set(case) <= CASE_KEYS, path
    return case


def inputs_of(path: Path) -> list[str]:
    return [str(p) for p in sorted(path.iterdir()) if p.name != "case.yaml"]


def test_corpus_is_large_and_sourced() -> None:
    assert len(CASES) >= 40
    for path in CASES:
        case = load_case(path)
        assert str(case["source"]).startswith("https://"), path
        assert case["diagnosis"] and case["input"], path
        assert isinstance(case["report"], list) and isinstance(case["not_report"], list), path
        assert not set(case["report"]) & set(case["not_report"]), path


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_case(path: Path, request: pytest.FixtureRequest) -> None:
    case = load_case(path)
    if case.get("needs"):
        request.applymarker(pytest.mark.xfail(reason=f"needs the {case['needs']} readers", strict=False))
    report = check(inputs_of(path))
    fired = {f.rule for f in report.findings}
    problems = [str(e) for e in report.errors]
    assert len(problems) == case.get("errors", 0), problems
    missing = set(case["report"]) - fired
    assert not missing, f"must report {sorted(missing)}; reported {sorted(fired)}"
    wrong = set(case["not_report"]) & fired
    assert not wrong, f"must not report {sorted(wrong)}: " + "; ".join(
        f.message for f in report.findings if f.rule in wrong)
    kinds = {k for i in report.inputs if i.kind for k in i.kind.split(", ")}
    assert set(case.get("kinds", ())) <= kinds, f"read as {sorted(kinds)}"
    for text in (*problems, *(f.message for f in report.findings), *(f.fix for f in report.findings),
                 *(i.note for i in report.inputs)):
        assert not REPR.search(text), text


def test_whole_corpus_through_the_cli() -> None:
    """All cases at once, as a user would run it: no traceback, a JSON report, no Python repr anywhere."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "netblame", "check", str(REAL), "-o", "json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=False, env=env)
    assert "Traceback" not in run.stderr, run.stderr
    report = json.loads(run.stdout)
    assert report["schema"] == "netblame/report/v1"
    for finding in report["findings"]:
        assert not REPR.search(finding["message"]) and not REPR.search(finding["fix"]), finding
