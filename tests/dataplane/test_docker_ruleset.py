"""Docker's own ruleset, written at test time by Debian's dockerd confined to one lab node (tests/dataplane/
confined.py; tests/data/rulesets/README.md), traced against the kernel: the FORWARD policy DROP it sets turns that
node into a wall for every pod packet it forwards."""

from __future__ import annotations

import ipaddress
import os
import random
import subprocess
from collections.abc import Iterator

import pytest
from tests.dataplane.confined import CACHE, confined, lab_node
from tests.dataplane.harness import Outcome, Probe, draw, lab_name, run_probes
from tests.dataplane.test_kernel_agreement import _report, settled_snapshot

from netblame.dataplane import Dataplane, Flow, StepKind, Trace, Tracer
from netblame.model.snapshot import Snapshot

DOCKER = CACHE / "docker.io"
CONTAINERD = CACHE / "containerd"
LAB = lab_name("trdk")
DOCKER_CHAINS = (":DOCKER-USER", ":DOCKER-ISOLATION-STAGE-1", ":DOCKER-ISOLATION-STAGE-2", ":FORWARD DROP",
                 "-j MASQUERADE")


def chosen(src_ns: str, src_label: str, dst: str, dst_label: str, port: int) -> Probe:
    """A probe picked by hand: small, DF, from a source port of its own (conntrack is read by it; the drawn
    probes use 40000 and up)."""
    return Probe(src_ns, src_label, dst, dst_label, 120, True, port, sport=port + 5000)


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
    _need_docker()
    with lab_node(LAB, "host-routes", 0) as (node, scratch):
        # Docker sets FORWARD's policy to DROP when it is the one that turns forwarding on (a host where Docker
        # came before Kubernetes): start from that.
        subprocess.run(["ip", "netns", "exec", node, "sysctl", "-qw", "net.ipv4.ip_forward=0"], check=True)
        command = ["dockerd", "--data-root", str(scratch / "data"), "--exec-root", str(scratch / "exec"),
                   "--pidfile", str(scratch / "docker.pid"), "-H", f"unix://{scratch / 'docker.sock'}",
                   "--storage-driver", "vfs"]
        with confined(node, scratch, [DOCKER / "usr/sbin", DOCKER / "usr/bin", CONTAINERD / "usr/bin"], command,
                      lambda: all(c in iptables_save(node) for c in DOCKER_CHAINS)):
            pass
        attach_container(node, f"{node}-p9")
        yield LAB, node


def attach_container(node: str, container: str) -> None:
    """What Docker's bridge driver does for a container (a veth with one end on docker0, the other as the
    container's eth0 with the next address of docker0's subnet and a default route through docker0's address),
    done by hand: there is no runc or image here. The namespace is named like the lab's pods, so the collector
    takes it as a pod of that node and ``lab.down`` removes it."""
    gateway = next(line.split()[3] for line in subprocess.run(
        ["ip", "-n", node, "-o", "-4", "addr", "show", "dev", "docker0"], capture_output=True, text=True,
        check=True).stdout.splitlines())
    net = ipaddress.ip_interface(gateway)
    address = f"{net.ip + 1}/{net.network.prefixlen}"
    subprocess.run(["ip", "netns", "add", container], check=True)
    for cmd in (f"-n {node} link add vethdk0 type veth peer name eth0 netns {container}",
                f"-n {node} link set vethdk0 master docker0 up", f"-n {container} link set lo up",
                f"-n {container} addr add {address} dev eth0", f"-n {container} link set eth0 up",
                f"-n {container} route add default via {net.ip}"):
        subprocess.run(["ip", *cmd.split()], check=True)


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
    container = next(p for p in mine if p[0].endswith("-p9"))
    mine = [p for p in mine if p is not container]
    docker0 = next(a.address for a in root.addresses if a.dev == "docker0" and a.family == 4)
    # Across the node both ways (FORWARD's policy), and to docker0's address from a pod of that node (INPUT).
    picked = [chosen(others[0][0], "pod elsewhere", mine[0][1], "pod on the Docker node", 33400),
              chosen(mine[0][0], "pod on the Docker node", others[-1][1], "pod elsewhere", 33401),
              chosen(mine[-1][0], "pod on the Docker node", docker0, "docker0", 33402),
              chosen(mine[0][0], "pod on the Docker node", mine[-1][1], "pod beside it", 33403),
              # The container: out through docker0 (accepted, masqueraded), in from a pod (FORWARD's policy).
              chosen(container[0], "container", others[0][1], "pod elsewhere", 33404),
              chosen(mine[0][0], "pod on the Docker node", container[1], "container", 33405)]
    outcomes: list[Outcome] = run_probes(snap, picked + draw(snap, random.Random(20261206), 30, filtered=True))
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    # Bridged pod to pod passes FORWARD only with bridge-nf-call-iptables on (a new namespace's default where
    # br_netfilter is loaded).
    bridged = root.sysctls.get("net.bridge.bridge-nf-call-iptables") == "1"
    assert [o.model.split(" ", 1)[0] for o in outcomes[:6]] == [
        "FILTERED", "FILTERED", "DELIVERED", "FILTERED" if bridged else "DELIVERED", "DELIVERED", "FILTERED"]
    # The container's packet leaves masqueraded to the node's address (the harness found the same in conntrack).
    assert [f["nat"] for f in nat_facts(snap, picked[4])] == ["masquerade"]
    # Where and why: FORWARD's policy, in the Docker node, for routed and (bridge-nf-call-iptables) bridged packets.
    for p in (picked[0], picked[1], picked[5]) + ((picked[3],) if bridged else ()):
        facts = stop_facts(snap, p)
        assert facts["where"].endswith("filter/FORWARD") and facts["rule"].startswith("policy"), facts
        assert facts["verdict"] == "drop", facts


def _trace(snap: Snapshot, p: Probe) -> Trace:
    start = next(ns.id for node in snap.nodes for ns in node.namespaces if ns.name == p.src_ns)
    (trace,) = Tracer(Dataplane(snap)).trace(Flow(start=start, dst=p.dst, proto="udp", dport=p.port)).traces
    return trace


def stop_facts(snap: Snapshot, p: Probe) -> dict[str, str]:
    """The facts of the step that ended the probe's (only) trace."""
    trace = _trace(snap, p)
    assert trace.last is not None
    return {k: str(v) for k, v in trace.last.steps[-1].facts}


def nat_facts(snap: Snapshot, p: Probe) -> list[dict[str, str]]:
    """The facts of every translation on the probe's (only) trace."""
    return [{k: str(v) for k, v in step.facts} for hop in _trace(snap, p).hops for step in hop.steps
            if step.kind is StepKind.NAT]
