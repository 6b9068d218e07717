"""The report as SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import orjson

from netblame import __version__
from netblame.checks import Registry
from netblame.findings import Finding, Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/netblame/netblame"


def _location(finding: Finding) -> dict[str, object]:
    loc = finding.location
    out: dict[str, object] = {}
    if loc.file is not None:
        # artifactLocation.uri is a URI reference: a path with a blank or a '#' must be percent-encoded.
        physical: dict[str, object] = {"artifactLocation": {"uri": quote(loc.file)}}
        if loc.line is not None:
            physical["region"] = {"startLine": loc.line}
        out["physicalLocation"] = physical
    logical = loc.object or (f"flag:{loc.flag}" if loc.flag else None) or (
        f"default:{loc.default}" if loc.default else None)
    if logical is not None:
        out["logicalLocations"] = [{"fullyQualifiedName": logical}]
    return out


def render_sarif(report: Report, registry: Registry) -> str:
    """One SARIF run with every rule that ran and every finding."""
    rule_ids = sorted(set(report.rules_run) | {f.rule for f in report.findings})
    rules = []
    for rule_id in rule_ids:
        rule = registry.get(rule_id)
        if rule is None:
            continue
        meta = rule.meta
        rules.append({
            "id": meta.id,
            "name": meta.name,
            "shortDescription": {"text": meta.title},
            "fullDescription": {"text": meta.summary},
            "help": {"text": f"{meta.rationale}\n\nFix: {meta.fix}"},
            "helpUri": f"{INFO_URI}/blob/main/{meta.doc}",
            "defaultConfiguration": {"level": meta.severity.sarif_level},
        })
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for f in report.findings:
        fingerprint = hashlib.sha256(f"{f.rule}|{f.location}|{f.message}".encode()).hexdigest()[:32]
        result: dict[str, object] = {
            "ruleId": f.rule,
            "level": f.severity.sarif_level,
            "message": {"text": f"{f.message}\nFix: {f.fix}"},
            "locations": [_location(f)],
            "partialFingerprints": {"netblame/v1": fingerprint},
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        results.append(result)
    invocation: dict[str, object] = {"executionSuccessful": not report.failed and not report.incomplete}
    if report.errors or report.failures:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": str(e)}} for e in (*report.errors, *report.failures)]
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "netblame", "version": __version__, "informationUri": INFO_URI,
                                "rules": rules}},
            "invocations": [invocation],
            "results": results,
        }],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
