"""Docker's own ruleset, written at test time by Debian's dockerd confined to one lab node (tests/dataplane/
confined.py; tests/data/rulesets/README.md), traced against the kernel: the FORWARD policy DROP it sets turns that
node into a wall for every pod packet it forwards."""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dataplane.confined import CACHE, confined
from tests.dataplane.harness import Outcome, Probe, draw, lab_name, run_probes
from tests.dataplane.test_kernel_agreement import _report, settled_snapshot

from netblame import lab
from netblame.dataplane import Dataplane, Flow, Tracer
from netblame.model.snapshot import Snapshot

DOCKER = CACHE / "docker.io"
CONTAINERD = CACHE / "containerd"
LAB = lab_name("trdk")
DOCKER_CHAINS = (":DOCKER-USER", ":DOCKER-ISOLATION-STAGE-1", ":DOCKER-ISOLATION-STAGE-2", ":FORWARD DROP",
                 "-j MASQUERADE")


def iptables_save(netns: str) -> str:
    return subprocess.run(["ip", "netns", "exec", netns, "iptables-save"], capture_output=True, text=True,
                          check=True).stdout


def _need_docker() -> None:
    if not (DOCKER / "usr/sbin/dockerd").exists() or not (CONTAINERD / "usr/bin/containerd").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DOCKER} or {CONTAINERD} missing: scripts/test unpacks docker.io and containerd there")
        pytest.skip(f"{DOCKER} missing: scripts/test unpacks Debian's docker.io and containerd there")


@pytest.fixture(scope="module")
def docker_lab() -> Iterator[tuple[str, str]]:
    """A host-routes lab whose first node ran dockerd: ``(lab, node's namespace)``."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    _need_docker()
    lab.down(LAB)
    scratch = Path(tempfile.mkdtemp(prefix="netblame-dockerd-"))
    try:
        state = lab.up(lab.LabSpec(name=LAB, style="host-routes"))
        node = state.nodes[0].namespace
        # Docker sets FORWARD's policy to DROP when it is the one that turns forwarding on (a host where Docker
        # came before Kubernetes): start from that.
        subprocess.run(["ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv4.ip_forward=0"], check=True)
        command = ["dockerd", "--data-root", str(scratch / "data"), "--exec-root", str(scratch / "exec"),
                   "--pidfile", str(scratch / "docker.pid"), "-H", f"unix://{scratch / 'docker.sock'}",
                   "--storage-driver", "vfs"]
        with confined(node, scratch, [DOCKER / "usr/sbin", DOCKER / "usr/bin", CONTAINERD / "usr/bin"], command,
                      lambda: all(c in iptables_save(node) for c in DOCKER_CHAINS)):
            pass
        yield LAB, node
    finally:
        lab.down(LAB)
        subprocess.run(["rm", "-rf", str(scratch)], check=False)


def _pods(snap: Snapshot, node_ns: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(namespace, address) of pods on the Docker node and on the others."""
    mine, others = [], []
    for node in snap.nodes:
        on_docker = any(ns.name == node_ns for ns in node.namespaces)
        for ns in node.namespaces:
            v4 = [a.address for a in ns.addresses if a.family == 4 and a.scope == "global"]
            if ns.pod and v4 and ns.name:
                (mine if on_docker else others).append((ns.name, v4[0]))
    return mine, others


@pytest.mark.root
def test_docker_ruleset_agrees_with_the_kernel(docker_lab: tuple[str, str]) -> None:
    name, node_ns = docker_lab
    saved = iptables_save(node_ns)
    assert all(c in saved for c in DOCKER_CHAINS), saved
    snap = settled_snapshot(name, "host-routes")
    node = next(n for n in snap.nodes for ns in n.namespaces if ns.name == node_ns)
    root = next(ns for ns in node.namespaces if ns.name == node_ns)
    assert root.netfilter is not None and (root.netfilter.iptables or root.netfilter.nft)
    assert any(a.dev == "docker0" for a in root.addresses)
    mine, others = _pods(snap, node_ns)
    docker0 = next(a.address for a in root.addresses if a.dev == "docker0" and a.family == 4)
    # Across the node both ways (FORWARD's policy), and to docker0's address from a pod of that node (INPUT).
    chosen = [Probe(others[0][0], "pod elsewhere", mine[0][1], "pod on the Docker node", 120, True, 33400),
              Probe(mine[0][0], "pod on the Docker node", others[-1][1], "pod elsewhere", 120, True, 33401),
              Probe(mine[-1][0], "pod on the Docker node", docker0, "docker0", 120, True, 33402),
              Probe(mine[0][0], "pod on the Docker node", mine[-1][1], "pod beside it", 120, True, 33403)]
    outcomes: list[Outcome] = run_probes(snap, chosen + draw(snap, random.Random(20261206), 30, filtered=True))
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    assert [o.model.split(" ", 1)[0] for o in outcomes[:4]] == ["FILTERED", "FILTERED", "DELIVERED", "FILTERED"]
    # Where and why: FORWARD's policy, in the Docker node, for routed and (bridge-nf-call-iptables) bridged packets.
    for p in (chosen[0], chosen[1], chosen[3]):
        facts = stop_facts(snap, p)
        assert facts["where"].endswith("filter/FORWARD") and facts["rule"].startswith("policy"), facts
        assert facts["verdict"] == "drop", facts


def stop_facts(snap: Snapshot, p: Probe) -> dict[str, str]:
    """The facts of the step that ended the probe's (only) trace."""
    start = next(ns.id for node in snap.nodes for ns in node.namespaces if ns.name == p.src_ns)
    (trace,) = Tracer(Dataplane(snap)).trace(Flow(start=start, dst=p.dst, proto="udp", dport=p.port)).traces
    assert trace.last is not None
    return {k: str(v) for k, v in trace.last.steps[-1].facts}
