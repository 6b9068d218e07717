"""``netblame lab``: one-line errors and exit 2 for bad input, JSON output, the whole cycle from the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from lab_oracle import lab_name

from netblame.cli.main import main


def _netblame(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netblame", *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": "src"})


def _exit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return int(str(info.value.code)), capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["lab", "up", "--name", "Bad!"], "--name: expected 1-12 lower-case letters"),
    (["lab", "up", "--name", "ltx", "--pod-cidr", "10.244.0.0"], "--pod-cidr: expected an IPv4 CIDR"),
    (["lab", "up", "--name", "ltx", "--pods-per-node", "300"], "--pods-per-node: a /24 node range holds at most"),
    (["lab", "down", "--name", "-x"], "--name"),
])
def test_bad_options_exit_2_with_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _exit(argv, capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_heal_needs_a_fault_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _exit(["lab", "heal", "ltx"], capsys)
    assert code == 2 and "give a FAULT or --all" in err


def test_without_root_a_clear_message(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    code, err = _exit(["lab", "status", "ltx"], capsys)
    assert code == 2 and err.strip() == ("netblame: error: lab commands build network namespaces and need root "
                                         "(run with sudo)")


@pytest.mark.root
def test_cli_cycle() -> None:
    name = lab_name("ltc")
    try:
        up = _netblame("lab", "up", "--name", name, "--style", "host-routes", "--nodes", "2", "--pods-per-node",
                       "1", "-o", "json")
        assert up.returncode == 0, up.stderr
        assert json.loads(up.stdout)["summary"] == "ok"
        assert f"lab {name}: attaching 2 pods with CNI bridge" in up.stderr  # progress goes to stderr
        fault = _netblame("lab", "fault", name, "blackhole-route", "--node", "n1")
        assert fault.returncode == 0 and "n1 drops everything for n2's pod range 10.244.1.0/24" in fault.stdout
        status = json.loads(_netblame("lab", "status", name, "-o", "json").stdout)
        assert status["summary"] == "degraded" and [f["name"] for f in status["faults"]] == ["blackhole-route"]
        table = _netblame("lab", "status", name).stdout
        assert "fault blackhole-route on n1" in table and "FAIL" in table
        bad = _netblame("lab", "fault", name, "wrong-vxlan-fdb")
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "needs a lab of style vxlan" in bad.stderr
        assert "healed blackhole-route on n1" in _netblame("lab", "heal", name, "--all").stdout
        assert json.loads(_netblame("lab", "status", name, "-o", "json").stdout)["summary"] == "ok"
    finally:
        down = _netblame("lab", "down", "--name", name)
    assert down.returncode == 0 and "removed 5 namespaces" in down.stderr
    assert _netblame("lab", "down", "--name", name).stderr.strip() == f"lab {name}: nothing to remove"
    missing = _netblame("lab", "status", name)
    assert missing.returncode == 2 and f"no lab named '{name}'" in missing.stderr
