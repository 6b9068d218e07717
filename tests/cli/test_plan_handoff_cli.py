"""``netblame plan`` and ``netblame handoff`` through the CLI: output formats, --write (all files or none),
and bad input as one line with exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netblame.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    assert "Traceback" not in out + err and "internal error" not in err
    return code, out, err


def test_story_plan_text_explains_the_wrong_choice(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "--nodes", "4", "--lan", "192.168.1.0/24", "--cni", "cilium")
    assert code == 0
    assert "wrong choice: pod range 172.16.0.0/24" in out and "1 of 4 nodes gets pods" in out
    assert "podSubnet: 172.16.0.0/16" in out and "clusterPoolIPv4PodCIDRList" in out
    assert "cilium install --set ipam.mode=cluster-pool" in out


def test_plan_json_and_write(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "plan", "--nodes", "3", "--cni", "flannel", "--distribution", "k3s", "-o", "json",
                       "--write", str(tmp_path / "out"))
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "netblame/plan/v1"
    names = [f["name"] for f in data["files"]]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
    for f in data["files"]:
        assert (tmp_path / "out" / f["name"]).read_text() == f["text"]
    # k3s deploys its own Flannel from cluster-cidr: its config carries the range, and no net-conf.json is written
    k3s = (tmp_path / "out" / "k3s-config.yaml").read_text()
    assert f"cluster-cidr: {data['families'][0]['pod_cidr']}\n" in k3s and "flannel-backend: vxlan\n" in k3s
    assert names == ["k3s-config.yaml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory anyway")
def test_write_into_an_unwritable_directory_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o500)
    code, _, err = run(capsys, "plan", "--nodes", "3", "--write", str(target))
    assert code == 2 and err.count("\n") == 1 and "--write" in err
    assert list(target.iterdir()) == []


def test_a_failed_write_leaves_no_partial_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "cilium-values.yaml").mkdir()  # a directory where the second file should go: its rename fails
    with pytest.raises(SystemExit) as exited:
        main(["plan", "--nodes", "3", "--cni", "cilium", "--write", str(target)])
    capsys.readouterr()
    assert exited.value.code != 0
    assert sorted(p.name for p in target.iterdir()) == ["cilium-values.yaml"]


@pytest.mark.parametrize(("args", "needle"), [
    (["plan", "--nodes", "0"], "--nodes: expected 1 to 5000"),
    (["plan", "--nodes", "3", "--lan", "192.168.1.300/24"], "--lan"),
    (["plan", "--nodes", "3", "--max-pods", "0"], "--max-pods"),
])
def test_plan_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], args: list[str], needle: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and err.count("\n") == 1 and needle in err


def test_handoff_bad_plan_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text('{"schema": "something/else"}')
    code, _, err = run(capsys, "handoff", "--plan", str(bad))
    assert code == 2 and err.count("\n") == 1 and "netblame/plan/v1" in err
    code, _, err = run(capsys, "handoff", "--plan", str(tmp_path / "missing.json"))
    assert code == 2 and err.count("\n") == 1 and "cannot read" in err


def test_handoff_from_a_plan_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "plan", "--nodes", "3", "--cni", "calico", "-o", "json")
    plan = tmp_path / "plan.json"
    plan.write_text(out)
    code, out, _ = run(capsys, "handoff", "--plan", str(plan), "-o", "json")
    data = json.loads(out)
    assert code == 0 and data["schema"] == "netblame/handoff/v1"
    labels = {(p["protocol"], p["port"]) for p in data["ports"]}
    assert ("ipip", None) in labels and ("tcp", "179") in labels and ("tcp", "6443") in labels
    assert data["mtu"]["pod_mtu"] == 1480  # IP-in-IP adds 20 bytes (encap.OVERHEAD)
    code, md, _ = run(capsys, "handoff", "--plan", str(plan), "-o", "md")
    assert md.startswith("# Network hand-off") and "| TCP 179 |" in md


def test_handoff_from_cluster_files_lists_node_routes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "handoff", "examples/pi-cluster-fixed", "--routing", "native", "-o", "json")
    data = json.loads(out)
    assert code == 0 and data["routing"] == "static"
    assert data["mtu"]["overhead"] == 0
    assert {r["node"] for r in data["routes"]} <= {"pi-1", "pi-2", "pi-3", "pi-4"}


def test_handoff_on_files_it_does_not_recognise_is_one_line(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("hello: world\n")
    code, out, err = run(capsys, "handoff", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1 and "recognis" in err


def test_handoff_reads_what_plan_wrote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, "plan", "--nodes", "3", "--cni", "flannel", "--write", str(tmp_path))
    code, out, _ = run(capsys, "handoff", str(tmp_path), "-o", "json")
    data = json.loads(out)
    assert code == 0 and data["inputs"]["cni"] == "flannel" and data["mtu"]["pod_mtu"] == 1450
    assert ("udp", "8472") in {(p["protocol"], p["port"]) for p in data["ports"]}


@pytest.mark.parametrize(("distribution", "port"), [("k3s", ("udp", "8472")), ("k0s", ("tcp", "179")),
                                                    ("microk8s", ("udp", "4789")), ("rke2", ("tcp", "9345"))])
def test_handoff_uses_the_distributions_own_cni(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                distribution: str, port: tuple[str, str]) -> None:
    code, out, _ = run(capsys, "plan", "--nodes", "3", "--distribution", distribution, "-o", "json")
    plan = tmp_path / "plan.json"
    plan.write_text(out)
    code, out, _ = run(capsys, "handoff", "--plan", str(plan), "-o", "json")
    assert code == 0 and tuple(port) in {(p["protocol"], p["port"]) for p in json.loads(out)["ports"]}


def test_plan_text_shows_ipv6_ranges_as_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    """fd00:0:0:100::/56 holds ``:100:``, an emoji code to rich: the text must still say the range itself."""
    code, out, _ = run(capsys, "plan", "--nodes", "3", "--dual-stack")
    assert code == 0
    v6 = json.loads(run(capsys, "plan", "--nodes", "3", "--dual-stack", "-o", "json")[1])["families"][1]["pod_cidr"]
    assert ":100:" in v6 and out.count(v6) >= 2 and "\N{HUNDRED POINTS SYMBOL}" not in out
