"""``choose`` ends with the ``netblame plan`` command for its pick, and that command, run as printed, plans
and writes the pick's configuration: for every candidate the table can recommend."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from netblame.choose import CANDIDATES, Candidate, Constraints, Decision, assess, plan_command
from netblame.underlay.ports import distribution_ports

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture (conftest.py)

# What each pick's plan must write: the distribution's file, and the CNI's own (none for k3s's bundled Flannel).
WRITTEN = {"cilium": {"kubeadm.yaml", "cilium-values.yaml"},
           "calico": {"kubeadm.yaml", "calico-installation.yaml", "calico-ippool.yaml"},
           "flannel": {"kubeadm.yaml", "net-conf.json"}, "k3s-flannel": {"k3s-config.yaml"},
           "kube-router": {"kubeadm.yaml", "kube-router-args.yaml"},
           "antrea": {"kubeadm.yaml", "antrea-agent.conf", "antrea-controller.conf"}}


def _picked(candidate: Candidate, constraints: Constraints) -> Decision:
    return Decision(constraints=constraints, ranked=(assess(candidate, constraints),), node=None)


@pytest.mark.parametrize("candidate", CANDIDATES, ids=[c.key for c in CANDIDATES])
def test_the_printed_plan_command_plans_the_pick(run_cli: RunCli, candidate: Candidate, tmp_path: Path) -> None:
    command = plan_command(_picked(candidate, Constraints(nodes=4)))
    assert command is not None
    argv = shlex.split(command)
    assert argv[:2] == ["netblame", "plan"]
    code, _, err = run_cli(*argv[1:], "--write", str(tmp_path))
    assert code == 0, err
    assert {p.name for p in tmp_path.iterdir()} == WRITTEN[candidate.key]
    code, out, _ = run_cli("check", str(tmp_path), "--nodes", "4", "-o", "json")
    assert code == 0 and json.loads(out)["findings"] == []


def test_needs_choose_the_stack_and_an_unknown_node_count_is_left_to_fill_in() -> None:
    (flannel,) = (c for c in CANDIDATES if c.key == "flannel")
    dual = plan_command(_picked(flannel, Constraints(nodes=7, needs=frozenset({"dual-stack", "ipv6"}))))
    assert dual == "netblame plan --nodes 7 --distribution kubeadm --cni flannel --dual-stack"
    assert plan_command(_picked(flannel, Constraints(needs=frozenset({"ipv6"})))) == (
        "netblame plan --nodes <nodes> --distribution kubeadm --cni flannel --ipv6")


@pytest.mark.parametrize(("args", "command"), [
    (("--arch", "armv7", "--ram-per-node", "1G", "--nodes", "4"),
     "netblame plan --nodes 4 --distribution k3s --cni flannel"),
    (("--arch", "amd64", "--need", "l7-policy,encryption", "--nodes", "3"),
     "netblame plan --nodes 3 --distribution kubeadm --cni cilium"),
])
def test_choose_ends_with_the_command_in_text_and_json(run_cli: RunCli, args: tuple[str, ...], command: str) -> None:
    code, out, _ = run_cli("choose", *args)
    assert code == 0 and out.rstrip().splitlines()[-1].strip() == f"$ {command}"
    code, out, _ = run_cli("choose", *args, "-o", "json")
    doc = json.loads(out)
    assert list(doc)[-1] == "plan_command" and doc["plan_command"] == command


def test_nothing_fits_means_no_command(run_cli: RunCli) -> None:
    code, out, _ = run_cli("choose", "--kernel", "3.10", "--need", "l7-policy", "-o", "json")
    assert code == 1 and json.loads(out)["plan_command"] is None


@pytest.mark.parametrize("candidate", CANDIDATES, ids=[c.key for c in CANDIDATES])
def test_handoff_of_the_plan_asks_for_ports_chooses_cell_names(run_cli: RunCli, candidate: Candidate,
                                                             tmp_path: Path) -> None:
    """choose -> plan -o json -> handoff --plan: every port the hand-off asks for is the distribution's or one
    that choose's network cell for the pick names."""
    command = plan_command(_picked(candidate, Constraints(nodes=3)))
    assert command is not None
    code, out, _ = run_cli(*shlex.split(command)[1:], "-o", "json")
    assert code == 0
    (tmp_path / "plan.json").write_text(out)
    code, out, err = run_cli("handoff", "--plan", str(tmp_path / "plan.json"), "-o", "json")
    assert code == 0, err
    asked = {f"{p['protocol'].upper()} {p['port']}" if p["port"] else p["protocol"].upper()
             for p in json.loads(out)["ports"]}
    named = {" ".join(item.split()[:2]) if item.split()[1][0].isdigit() else item.split()[0]
             for item in candidate.network.value}
    distribution = {f"{p.protocol.upper()} {p.port}" for p in distribution_ports(candidate.distribution or "kubeadm")}
    assert asked - distribution <= named and asked - distribution
