"""``netblame choose`` end to end: the three answers from flags, the answers for three node copies,
JSON with a source on every cell, and one-line usage errors with exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture (conftest.py)


ROOTS = Path(__file__).parent.parent / "data" / "choose" / "roots"


@pytest.mark.parametrize(("args", "pick"), [
    (("--arch", "armv7", "--ram-per-node", "1G"), "k3s-flannel"),
    (("--arch", "arm64", "--ram-per-node", "4GiB"), "flannel"),
    (("--arch", "amd64", "--need", "l7-policy,encryption"), "cilium"),
    (("--arch", "amd64", "--need", "l7-policy", "--need", "encryption"), "cilium"),
])
def test_three_answers_from_flags(run_cli: RunCli, args: tuple[str, ...], pick: str) -> None:
    code, out, _ = run_cli("choose", *args, "-o", "json")
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "netblame/choose/v1" and doc["recommended"] == pick
    for candidate in doc["candidates"]:
        for name, cell in candidate["cells"].items():
            assert "https://" in cell["source"], f"{candidate['key']}.{name}"
        for problem in candidate["problems"]:
            assert "https://" in problem["source"]
    assert doc["install"]["steps"] and "https://" in doc["install"]["source"]


@pytest.mark.parametrize(("root", "pick"), [("pi3-armv7", "k3s-flannel"), ("pi4-arm64", "calico"),
                                            ("amd64", "flannel")])
def test_answers_for_node_copies(run_cli: RunCli, root: str, pick: str) -> None:
    code, out, _ = run_cli("choose", "--root", str(ROOTS / root), "-o", "json")
    doc = json.loads(out)
    assert code == 0 and doc["recommended"] == pick


def test_pi4_copy_says_what_would_break_each_candidate(run_cli: RunCli) -> None:
    _, out, _ = run_cli("choose", "--root", str(ROOTS / "pi4-arm64"), "-o", "json")
    doc = json.loads(out)
    problems = {c["key"]: " | ".join(p["text"] for p in c["problems"]) for c in doc["candidates"]}
    assert "kernel module vxlan" in problems["flannel"] and "linux-modules-extra-raspi" in problems["flannel"]
    assert "kernel module vxlan" in problems["cilium"]
    assert "kernel module ip_vs" in problems["kube-router"]
    assert "kernel module openvswitch" in problems["antrea"]
    assert "memory cgroup is off" in problems["k3s-flannel"]
    assert doc["node"]["modules"]["vxlan"]["state"] == "missing"
    assert doc["node_problems"] and "cgroup_enable=memory" in doc["node_problems"][0]["text"]


def test_explicit_flags_win_over_the_node(run_cli: RunCli) -> None:
    _, out, _ = run_cli("choose", "--root", str(ROOTS / "amd64"), "--ram-per-node", "1G", "-o", "json")
    assert json.loads(out)["constraints"]["ram_per_node_mib"] == 1024


def test_table_output_names_sources_for_every_row(run_cli: RunCli) -> None:
    code, out, _ = run_cli("choose", "--arch", "armv7", "--ram-per-node", "1G")
    assert code == 0 and out.startswith("Recommended: k3s (bundled Flannel)")
    assert "$ curl -sfL https://get.k3s.io | sh -" in out
    rows = [line for line in out.splitlines() if line.startswith("│") and "│ [" in line]
    assert len(rows) >= 6, "each candidate's first table line lists source numbers"
    assert "Sources:" in out and "[1] " in out


def test_no_fit_exits_1(run_cli: RunCli) -> None:
    code, out, _ = run_cli("choose", "--kernel", "4.4", "--need", "l7-policy")
    assert code == 1 and "No candidate fits" in out


@pytest.mark.parametrize(("args", "message"), [
    (("--ram-per-node", "lots"), "'lots' is not a size"),
    (("--need", "teleport"), "unknown need teleport"),
    (("--kernel", "new"), "'new' is not a kernel version"),
    (("--arch", "sparc"), "'sparc' is not one of"),
])
def test_usage_errors_exit_2(run_cli: RunCli, args: tuple[str, ...], message: str) -> None:
    code, _, err = run_cli("choose", *args)
    assert code == 2 and message in err


def test_unreadable_root_is_one_line_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli("choose", "--root", str(tmp_path))
    assert code == 2 and "proc/sys/kernel/arch: missing" in err and len(err.strip().splitlines()) == 1
