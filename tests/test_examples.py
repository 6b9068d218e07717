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


def test_k3s_pi_too_small_fails_with_nb101_in_k3s_terms() -> None:
    run = netblame("check", "examples/k3s-pi-too-small", "-o", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["errors"] == []
    assert {i["kind"] for i in report["inputs"]} == {"k3s-rke2-config", "kubernetes-nodes"}
    [nb101] = [f for f in report["findings"] if f["rule"] == "NB101"]
    assert nb101["severity"] == "error"
    assert "10.42.0.0/24" in nb101["message"] and "1 of 4 nodes" in nb101["message"]
    assert "--node-cidr-mask-size-ipv4 default" in nb101["message"]
    assert "`cluster-cidr: 10.42.0.0/16` in /etc/rancher/k3s/config.yaml" in nb101["fix"]
    assert "kubeadm" not in nb101["fix"] and "net-conf.json" not in nb101["fix"]
    assert nb101["location"] == {"file": "examples/k3s-pi-too-small/config.yaml", "line": 5}


def test_k3s_pi_config_alone_states_the_capacity_as_a_warning() -> None:
    run = netblame("check", "examples/k3s-pi-too-small/config.yaml", "-o", "json")
    assert run.returncode == 0, run.stdout
    [nb101] = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "NB101"]
    assert nb101["severity"] == "warning" and "room for exactly 1 node" in nb101["message"]


def test_k3s_lan_overlap_fails_with_nb104_and_a_free_range() -> None:
    run = netblame("check", "examples/k3s-lan-overlap", "-o", "json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    [nb104] = [f for f in report["findings"] if f["rule"] == "NB104"]
    assert "192.168.0.0/16" in nb104["message"] and "192.168.1.11" in nb104["message"]
    assert "/etc/rancher/k3s/config.yaml" in nb104["fix"] and "192.168." not in nb104["fix"]
    assert "no free private range" not in nb104["fix"]


def test_readme_shows_the_k3s_examples_real_output() -> None:
    readme = (ROOT / "README.md").read_text()
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "COLUMNS": "120"}
    for example in ("examples/k3s-pi-too-small", "examples/k3s-lan-overlap"):
        run = subprocess.run([sys.executable, "-m", "netblame", "check", example], cwd=ROOT, capture_output=True,
                             text=True, check=False, env=env)
        shown = "\n".join(line.rstrip() for line in run.stdout.rstrip().splitlines())
        assert f"$ netblame check {example}\n{shown}\n" in readme, example
