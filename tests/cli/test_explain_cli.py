"""``netblame explain``: rule pages unchanged, one line explained, logs summarised, and the exit codes
(0 recognised, 1 not, 2 usage or unreadable input) with one-line messages."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from netblame.checks import default_registry
from netblame.checks.docs import render_page

LOG = Path(__file__).parent.parent / "data" / "logs" / "kcm-flannel.log"
FLANNEL_LINE = ('E0519 00:37:28.550351       1 network.go:102] failed to register network: failed to acquire '
                'lease: node "k8s-test-2.novalocal" pod cidr not assigned')

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture (conftest.py)


def test_rule_id_prints_the_rule_page_as_before(run_cli: RunCli) -> None:
    code, out, _ = run_cli("explain", "NB101")
    rule = default_registry().get("NB101")
    assert rule is not None
    assert code == 0 and out == render_page(rule)


def test_unknown_rule_id_is_still_a_usage_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("explain", "NB999")
    assert code == 2 and "no rule 'NB999'" in err


def test_no_argument_lists_the_rules(run_cli: RunCli) -> None:
    code, out, _ = run_cli("explain")
    assert code == 0 and out.splitlines()[0].startswith("NB101")


def test_a_log_line_is_explained(run_cli: RunCli) -> None:
    code, out, _ = run_cli("explain", FLANNEL_LINE)
    assert code == 0
    assert out.startswith("flannel-pod-cidr-not-assigned  (flannel)")
    assert 'matched: node "k8s-test-2.novalocal" pod cidr not assigned' in out
    assert "NB108" in out and "https://github.com/flannel-io/flannel" in out


def test_unknown_text_says_so_in_one_line_and_exits_1(run_cli: RunCli) -> None:
    code, out, err = run_cli("explain", "everything is fine")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "no known log pattern" in err


def test_a_log_file_is_summarised(run_cli: RunCli) -> None:
    code, out, _ = run_cli("explain", "--file", str(LOG))
    assert code == 0
    assert "12 line(s) read, 10 recognised, 4 known pattern(s)" in out
    assert "kcm-allocate-cidr-failed  (kube-controller-manager)  x3, first at line 1" in out
    assert "flannel-pod-cidr-not-assigned  (flannel)  x3, first at line 7" in out


def test_stdin_json(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(LOG.read_text()))
    code, out, _ = run_cli("explain", "-", "-o", "json")
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "netblame/explain/v1"
    assert doc["lines_read"] == 12 and doc["recognised_lines"] == 10
    first = doc["patterns"][0]
    assert (first["id"], first["count"], first["first_line"]) == ("kcm-allocate-cidr-failed", 3, 1)
    assert first["rules"] == ["NB101"]


def test_a_log_without_known_lines_exits_1(run_cli: RunCli, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.log"
    quiet.write_text("all good\nstill good\n")
    code, out, _ = run_cli("explain", "--file", str(quiet))
    assert code == 1 and "2 line(s) read, 0 recognised" in out


def test_unreadable_log_is_one_line_and_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli("explain", "--file", str(tmp_path / "missing.log"))
    assert code == 2 and "missing.log: cannot read" in err
