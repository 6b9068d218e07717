"""The real-world corpus (tests/data/real): inputs copied verbatim from public issue threads, documentation
and repositories, each with a ``case.yaml`` naming its source, what the thread diagnosed, and which rules
netblame must and must not report. Every case runs through the same ``check`` path as the CLI.

A case marked ``needs: READER`` needs a reader netblame does not have yet (the Juju k8s charm's config);
it is expected to fail until that reader exists, and passes once it does.
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

from netblame.api.check import check

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real"
CASES = sorted(p.parent for p in REAL.glob("*/case.yaml"))
CASE_KEYS = {"source", "input", "diagnosis", "report", "not_report", "kinds", "errors", "needs"}
# What a Python repr leaks into a message: None, an empty list, a quoted list or dict, an object address.
# (Double-quoted lists are YAML and JSON, which fixes quote on purpose.)
REPR = re.compile(r"\bNone\b|(?<![\w\]])\[\]|\['|\{'|<[a-zA-Z_.]+ object at ")


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
        request.applymarker(pytest.mark.xfail(reason=f"needs a reader of {case['needs']}", strict=False))
    report = check(inputs_of(path))
    assert not report.failures, [f.to_json() for f in report.failures]  # a reader or rule that crashed
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


def _clean_run(*args: str) -> dict[str, Any]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "netblame", "check", *args, "-o", "json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, check=False, env=env)
    assert "Traceback" not in run.stderr, run.stderr
    report: dict[str, Any] = json.loads(run.stdout)
    assert report["schema"] == "netblame/report/v1"
    assert not report.get("incomplete"), report["incomplete"]  # a reader or rule that crashed
    texts = [*(f["message"] for f in report["findings"]), *(f["fix"] for f in report["findings"]),
             *(e["message"] for e in report["errors"]), *(i.get("note", "") for i in report["inputs"])]
    for text in texts:
        assert not REPR.search(text), text
    for finding in report["findings"]:  # a value netblame filled in is named as a default where it is used
        default = finding["location"].get("default")
        assert default is None or default.split(" ")[0] in finding["message"] or "default" in finding["message"], \
            finding
    return report


def test_whole_corpus_through_the_cli() -> None:
    """All cases at once, as a user would run it: no traceback, a JSON report, no Python repr anywhere."""
    _clean_run(str(REAL))


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir()),
                         ids=lambda p: p.name)
def test_examples_through_the_cli(path: Path) -> None:
    _clean_run(str(path))


def test_upstream_corpus_through_the_cli(corpus: Path) -> None:
    for path in sorted(corpus.iterdir()):
        if path.is_dir():
            _clean_run(str(path))
