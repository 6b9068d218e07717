"""`netblame collect` and `netblame check --snapshot/--live` as users run them: exit codes, one-line errors,
no traceback, no partial file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from minilab import MiniLab

from netblame.checks.node.examples import Data, base, host, two_nodes

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([*prefix, sys.executable, "-m", "netblame", *args], capture_output=True, text=True,
                          env=env, check=False, timeout=120)


def _one_clean_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.startswith("netblame: error")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_import_of_nothing_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "snap.json"
    done = run("collect", "--import", str(tmp_path / "empty"), "-o", str(out))
    assert done.returncode == 2
    assert "no namespace captures found" in _one_clean_line(done.stderr)
    assert not out.exists()


def test_import_then_check_the_snapshot(tmp_path: Path) -> None:
    cap = tmp_path / "cap" / "host"
    cap.mkdir(parents=True)
    (cap / "addr.json").write_text(json.dumps([
        {"ifindex": 1, "ifname": "eth0", "flags": ["UP"], "mtu": 1400, "operstate": "UP", "link_type": "ether",
         "address": "02:00:00:00:00:01",
         "addr_info": [{"family": "inet", "local": "192.168.1.5", "prefixlen": 24, "scope": "global"}]},
        {"ifindex": 2, "ifname": "vxlan0", "flags": ["UP"], "mtu": 1450, "operstate": "UNKNOWN",
         "link_type": "ether", "address": "02:00:00:00:00:02",
         "linkinfo": {"info_kind": "vxlan", "info_data": {"id": 7, "local": "192.168.1.5", "link": "eth0",
                                                          "port": 4789, "learning": False}}}]))
    out = tmp_path / "snap.json"
    done = run("collect", "--import", str(tmp_path / "cap"), "--node-name", "pi1", "-o", str(out))
    assert done.returncode == 0, done.stderr
    snap = json.loads(out.read_text())
    assert snap["schema"] == "netblame/snapshot/v1" and snap["nodes"][0]["name"] == "pi1"
    checked = run("check", "--snapshot", str(out), "-o", "json")
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    rules = {f["rule"]: f["location"]["object"] for f in report["findings"]}
    assert rules == {"NB301": "node pi1 / netns host / dev vxlan0", "NB307": "node pi1 / netns host / dev vxlan0"}
    assert report["inputs"] == [{"path": str(out), "kind": "netblame-snapshot", "status": "read"}]


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    cap = tmp_path / "cap" / "host"
    cap.mkdir(parents=True)
    (cap / "addr.json").write_text("[]")
    done = run("collect", "--import", str(tmp_path / "cap"), "-o", str(tmp_path / "missing" / "snap.json"))
    assert done.returncode == 2
    assert "cannot write: No such file or directory" in _one_clean_line(done.stderr)


def test_check_reads_a_snapshot_given_as_a_path(tmp_path: Path) -> None:
    def forward_off(data: Data) -> None:
        host(data, 1)["sysctls"]["net.ipv4.ip_forward"] = "0"

    (tmp_path / "snap.json").write_text(two_nodes(forward_off))
    done = run("check", str(tmp_path / "snap.json"))
    assert done.returncode == 1 and "NB304" in done.stdout, done.stdout + done.stderr


def test_snapshot_of_another_schema_is_refused(tmp_path: Path) -> None:
    data = base()
    data["schema"] = "netblame/snapshot/v9"
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(data))
    done = run("check", "--snapshot", str(path))
    assert done.returncode == 2
    assert "schema is 'netblame/snapshot/v9'" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_check_needs_something_to_check() -> None:
    done = run("check")
    assert done.returncode == 2 and "--live, --snapshot FILE or --root DIR" in done.stderr


@pytest.mark.root
def test_without_privileges_refuses_a_near_empty_snapshot(lab: MiniLab, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges with a user namespace")
    out = tmp_path / "snap.json"
    os.chmod(tmp_path, 0o777)
    done = run("collect", "-o", str(out), prefix=("unshare", "--user"))
    assert done.returncode == 2, done.stderr
    assert "not allowed to enter other network namespaces" in _one_clean_line(done.stderr)
    assert not out.exists(), "no snapshot of only this process's namespace"


@pytest.mark.root
def test_collect_of_an_absent_lab_says_so(tmp_path: Path) -> None:
    out = tmp_path / "snap.json"
    done = run("collect", "--lab", "nbt-col-absent", "-o", str(out))
    assert done.returncode == 2
    assert "no namespaces of lab 'nbt-col-absent'" in _one_clean_line(done.stderr)
    assert not out.exists()


@pytest.mark.root
def test_check_live_reads_this_machine(lab: MiniLab, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    done = run("check", "--live", "-o", "json", "--exit-zero")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["inputs"] == [{"path": "live", "kind": "netblame-snapshot", "status": "read"}]
    assert "Traceback" not in done.stderr
    out = tmp_path / "snap.json"
    collected = run("collect", "-o", str(out))
    assert collected.returncode == 0, collected.stderr
    ids = {ns["id"] for node in json.loads(out.read_text())["nodes"] for ns in node["namespaces"]}
    assert set(lab.namespaces) <= ids
