"""The story in examples/: the four-node Raspberry Pi cluster with --pod-network-cidr 172.16.0.0/24, and
the same cluster fixed. Run through the CLI, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def netblame(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "netblame", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, env=env)


def test_pi_cluster_fails_with_nb101_and_its_fix() -> None:
    run = netblame("check", "examples/pi-cluster", "-o", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["errors"] == []
    assert {i["kind"] for i in report["inputs"]} >= {"cilium-helm-values", "kubernetes-nodes"}
    nb101 = [f for f in report["findings"] if f["rule"] == "NB101"]
    assert len(nb101) == 1
    finding = nb101[0]
    assert finding["severity"] == "error"
    assert "172.16.0.0/24" in finding["message"] and "/24 node mask" in finding["message"]
    assert "1 of 4 nodes" in finding["message"]
    assert "--pod-network-cidr 172.16.0.0/16" in finding["fix"]
    assert 'ipam.operator.clusterPoolIPv4PodCIDRList: ["172.16.0.0/16"]' in finding["fix"]
    assert finding["location"] == {"file": "examples/pi-cluster/kubeadm.yaml", "line": 16}


def test_pi_cluster_table_output() -> None:
    run = netblame("check", "examples/pi-cluster")
    assert run.returncode == 1
    assert "NB101" in run.stdout and "ERROR (1)" in run.stdout
    assert "--pod-network-cidr 172.16.0.0/16" in run.stdout


def test_pi_cluster_fixed_is_clean() -> None:
    run = netblame("check", "examples/pi-cluster-fixed", "-o", "json")
    assert run.returncode == 0, run.stdout
    report = json.loads(run.stdout)
    assert report["findings"] == [] and report["errors"] == []
    assert len(report["inputs"]) == 3 and all(i["status"] == "read" for i in report["inputs"])
