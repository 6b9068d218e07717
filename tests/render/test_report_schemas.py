"""`netblame check -o sarif` is valid SARIF 2.1.0 (the OASIS schema) and `-o json` matches the
netblame/report/v1 schema documented in docs/report-schema.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from netblame.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads((ROOT / "docs" / "report-v1.schema.json").read_text())

NODES = {"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "pi-1"}, "spec": {"podCIDR": "10.244.0.1/24"},
     "status": {"addresses": [{"type": "InternalIP", "address": "192.168.1.11"}]}}]}


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    """A run that finds things at every kind of location: file and line, JSON object path, flag."""
    (tmp_path / "kubeadm.yaml").write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                           "networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.196.0.0/12\n")
    (tmp_path / "nodes.json").write_text(json.dumps(NODES))
    (tmp_path / "broken.yaml").write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                          "networking:\n  podSubnet: 10.244.0.0/33\n")
    return [str(tmp_path / n) for n in ("kubeadm.yaml", "nodes.json", "broken.yaml")] + ["--lan", "192.168.1.1/24"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any]:
    with pytest.raises(SystemExit) as exited:
        main(["check", *args])
    out = capsys.readouterr().out
    return int(exited.value.code or 0), json.loads(out)


def test_json_report_matches_the_documented_schema(capsys: pytest.CaptureFixture[str], inputs: list[str]) -> None:
    code, report = run(capsys, *inputs, "-o", "json")
    jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    locations = [f["location"] for f in report["findings"]]
    assert any("line" in loc for loc in locations)
    assert any("object" in loc and "line" not in loc for loc in locations)
    assert any("flag" in loc for loc in locations)
    assert report["errors"] and report["errors"][0]["line"] == 4
    assert code == 0  # warnings only (the default --fail-on is error)


def test_sarif_report_is_valid_sarif_2_1_0(capsys: pytest.CaptureFixture[str], inputs: list[str]) -> None:
    _, sarif = run(capsys, *inputs, "-o", "sarif")
    jsonschema.validate(sarif, SARIF_SCHEMA, cls=jsonschema.Draft7Validator)
    (sarif_run,) = sarif["runs"]
    assert sarif_run["results"] and all(r["ruleId"].startswith("NB") for r in sarif_run["results"])
    assert sarif_run["invocations"][0]["toolExecutionNotifications"]


def test_reports_of_a_run_with_nothing_checked_are_valid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("")
    code, report = run(capsys, str(tmp_path / "empty.yaml"), "-o", "json")
    assert code == 2
    jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    code, sarif = run(capsys, str(tmp_path / "empty.yaml"), "-o", "sarif")
    assert code == 2
    jsonschema.validate(sarif, SARIF_SCHEMA, cls=jsonschema.Draft7Validator)
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_the_schemas_reject_what_they_should(capsys: pytest.CaptureFixture[str], inputs: list[str]) -> None:
    _, report = run(capsys, *inputs, "-o", "json")
    report["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    _, sarif = run(capsys, *inputs, "-o", "sarif")
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sarif, SARIF_SCHEMA, cls=jsonschema.Draft7Validator)


def test_sarif_uris_are_percent_encoded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    spaced = tmp_path / "my cluster" / "kubeadm #1.yaml"
    spaced.parent.mkdir()
    spaced.write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                      "networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.196.0.0/12\n")
    _, sarif = run(capsys, str(spaced), "-o", "sarif")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"] for loc in r["locations"] if "physicalLocation" in loc}
    assert uris == {str(spaced).replace(" ", "%20").replace("#", "%23")}


def test_every_value_says_whether_it_was_read_given_as_a_flag_or_defaulted(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "kubeadm.yaml").write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                           "networking:\n  podSubnet: 10.244.0.0/16\n")
    _, report = run(capsys, str(tmp_path / "kubeadm.yaml"), "--nodes", "3", "-o", "json")
    jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    values = {v["setting"]: v for v in report["values"]}
    assert values["pod range (IPv4)"]["source"] == "read" and values["pod range (IPv4)"]["location"]["line"] == 4
    assert values["service range (IPv4)"] == {
        "setting": "service range (IPv4)", "value": "10.96.0.0/12", "source": "default",
        "location": {"file": str(tmp_path / "kubeadm.yaml"), "line": 3, "default": "kubeadm networking.serviceSubnet"}}
    assert values["node mask (IPv4)"]["source"] == "default" and values["node mask (IPv4)"]["value"] == "24"
    assert values["planned nodes"] == {"setting": "planned nodes", "value": "3", "source": "flag",
                                       "location": {"flag": "--nodes"}}
    report["values"][0]["source"] = "guessed"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
