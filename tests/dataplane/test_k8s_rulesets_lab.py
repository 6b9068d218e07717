"""Real kube-proxy and Flannel rulesets loaded into a lab's nodes, with their addresses rewritten to the lab's
(tests/dataplane/rewrite.py), and traced against the kernel with the agreement harness.

The iptables dump is a kubeadm control-plane node's (Flannel's FLANNEL-FWD / FLANNEL-POSTRTG and kube-proxy's
iptables mode; tests/data/rulesets/README.md). That node was a Flannel VXLAN node with podCIDR 10.244.0.0/24 in
10.244.0.0/16, the lab's vxlan style exactly; every lab node gets the dump with its own pod range in place of
10.244.0.0/24, the two CoreDNS endpoints moved to pods on the second and third nodes (so the kube-dns Service
crosses nodes), and the API server's address moved to the first node's. The dump's Service range (kubeadm's
10.96.0.0/16 there) is routed out of the uplink, as a node's default route would.
"""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from tests.dataplane.harness import SPORT_BASE, TALLY, Outcome, Probe, draw, lab_name, run_probes
from tests.dataplane.rewrite import Rewrite
from tests.dataplane.tcp import listening, run_connects
from tests.dataplane.test_k8s_rulesets_parse import FLANNEL_KUBE_PROXY, KUBE_PROXY_NFT, declarations_first
from tests.dataplane.test_kernel_agreement import _report, every_endpoint, settled_snapshot

from netblame import lab
from netblame.dataplane import Dataplane, Flow, Tracer
from netblame.lab.layout import UPLINK_DEV
from netblame.lab.state import LabState, NodeState
from netblame.live.run import collect_snapshot

LAB = lab_name("trkf")
SERVICE_CIDR = "10.96.0.0/16"
KUBE_DNS = "10.96.0.10"
# The dump's own addresses: its node's pod range, the cluster's, its two CoreDNS pods and the API server.
DUMP_NODE_RANGE, DUMP_CLUSTER_RANGE = "10.244.0.0/24", "10.244.0.0/16"
DUMP_COREDNS, DUMP_APISERVER = ("10.244.0.2", "10.244.0.3"), "172.31.7.91"


def rewrite_for(state: LabState, node: NodeState) -> Rewrite:
    """The dump's addresses as ``node`` of ``state`` would have them."""
    endpoints = [p.ip for n in state.nodes[1:3] for p in state.pods_of(n.name)[:1] if p.ip]
    assert node.pod_cidr is not None and len(endpoints) == 2
    hosts = dict(zip(DUMP_COREDNS, endpoints, strict=True))
    hosts[DUMP_APISERVER] = state.nodes[0].uplink_ip
    return Rewrite(hosts, {DUMP_NODE_RANGE: node.pod_cidr, DUMP_CLUSTER_RANGE: state.pod_cidr})


def in_node(node: NodeState, *command: str, stdin: str | None = None) -> str:
    return subprocess.run(["ip", "netns", "exec", node.namespace, *command], input=stdin, text=True, check=True,
                          capture_output=True).stdout


@contextmanager
def loaded_lab(name: str, load: list[str], text: str, rewrite: Callable[[LabState, NodeState], Callable[[str], str]],
               service_cidr: str | None, spec: lab.LabSpec | None = None,
               prepare: Callable[[LabState, NodeState], None] | None = None) -> Iterator[LabState]:
    """A lab (VXLAN unless ``spec`` says otherwise) whose every node got ``text``, rewritten for it, through the
    ``load`` command (after ``prepare``, for what the text needs to exist first), and a route for ``service_cidr``
    out of its uplink (as a node's default route would give)."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    lab.down(name)
    try:
        state = lab.up(spec or lab.LabSpec(name=name, style="vxlan"))
        for node in state.nodes:
            if prepare is not None:
                prepare(state, node)
            in_node(node, *load, stdin=rewrite(state, node)(text))
            if service_cidr is not None:
                in_node(node, "ip", "route", "replace", service_cidr, "dev", UPLINK_DEV)
        yield state
    finally:
        lab.down(name)


@pytest.fixture(scope="module")
def flannel_lab() -> Iterator[LabState]:
    with loaded_lab(LAB, ["iptables-restore"], FLANNEL_KUBE_PROXY.read_text(), rewrite_for, SERVICE_CIDR) as state:
        yield state


@pytest.mark.root
def test_kube_proxy_and_flannel_dump_agrees_with_the_kernel(flannel_lab: LabState) -> None:
    state = flannel_lab
    saved = in_node(state.nodes[1], "iptables-save")
    assert "-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16" in saved
    assert f"--to-destination {rewrite_for(state, state.nodes[1]).hosts[DUMP_COREDNS[0]]}:53" in saved
    snap = settled_snapshot(LAB, "vxlan")
    assert all(ns.netfilter is not None and ns.netfilter.iptables for node in snap.nodes for ns in node.namespaces
               if ns.name in {n.namespace for n in state.nodes})
    undecided_before = len(TALLY.undecided_probes)
    targets = [(KUBE_DNS, "kube-dns ClusterIP", 53)]
    probes = draw(snap, random.Random(20261206), 40, targets, filtered=True)
    outcomes: list[Outcome] = run_probes(snap, probes, lambda: collect_snapshot(lab=LAB)[0])
    outcomes += every_endpoint(LAB, snap, dst=KUBE_DNS, port=53)
    # One branch per CoreDNS endpoint, each taken by the kernel and agreeing (conntrack holds the DNAT).
    assert (outcomes[-1].model, outcomes[-1].agree) == ("2 branches", True)
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    # Every rule of the dump is simulated: no probe was left undecided.
    assert TALLY.undecided_probes[undecided_before:] == []
    to_service = [o for o in outcomes if o.probe.dst == KUBE_DNS and o.probe.dst_label != "every endpoint"]
    assert to_service and all(o.agree for o in to_service)
    # Pods reach other nodes' LAN addresses masqueraded by FLANNEL-POSTRTG; the harness checked conntrack.
    assert any("DELIVERED" in o.model for o in outcomes if o.probe.dst.startswith("198.18."))


# -- kube-proxy's nftables mode: the upstream proxier test's expected ruleset -------------------------------------

NFT_LAB = lab_name("trkn")
# The test's own addresses: its five endpoints, its pod range (its detectLocal CIDR), its node's NodePort address.
NFT_ENDPOINTS = tuple(f"10.180.0.{i}" for i in range(1, 6))
NFT_POD_RANGE, NFT_NODE_IP, NFT_SERVICE_CIDR = "10.0.0.0/8", "192.168.0.2", "172.30.0.0/16"
NFT_CLUSTER_IPS = tuple(f"172.30.0.{i}" for i in range(41, 47))


def nft_rewrite_for(state: LabState, node: NodeState) -> Rewrite:
    pods = [p.ip for n in state.nodes for p in state.pods_of(n.name) if p.ip]
    hosts = dict(zip(NFT_ENDPOINTS, pods[1:], strict=False))
    hosts[NFT_NODE_IP] = node.uplink_ip
    return Rewrite(hosts, {NFT_POD_RANGE: state.pod_cidr})


@pytest.fixture(scope="module")
def nft_lab() -> Iterator[LabState]:
    text = declarations_first(KUBE_PROXY_NFT.read_text())
    with loaded_lab(NFT_LAB, ["nft", "-f", "-"], text, nft_rewrite_for, NFT_SERVICE_CIDR) as state:
        yield state


@pytest.mark.root
def test_kube_proxy_nftables_mode_agrees_with_the_kernel(nft_lab: LabState) -> None:
    state = nft_lab
    listed = in_node(state.nodes[0], "nft", "list", "table", "ip", "kube-proxy")
    assert f"elements = {{ {state.nodes[0].uplink_ip} }}" in listed and "10.180.0." not in listed.split("chain")[0]
    snap = settled_snapshot(NFT_LAB, "vxlan")
    undecided_before = len(TALLY.undecided_probes)
    # UDP probes (the harness's): every Service here is TCP, so a ClusterIP's port 80 over UDP is one the Service
    # does not serve (rejected by cluster-ips-check), an address in the range no Service holds is dropped, and a
    # node's NodePort over UDP reaches the node itself.
    targets = [(a, "ClusterIP", 80) for a in NFT_CLUSTER_IPS] + [("172.30.0.99", "unallocated ClusterIP", 80)]
    targets += [(n.uplink_ip, f"NodePort on {n.name}", 3003) for n in state.nodes]
    probes = draw(snap, random.Random(20261207), 40, targets, filtered=True)
    outcomes = run_probes(snap, probes, lambda: collect_snapshot(lab=NFT_LAB)[0])
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    assert TALLY.undecided_probes[undecided_before:] == []
    verdicts = {o.model.split(" ")[0] for o in outcomes if o.probe.dst.startswith("172.30.")}
    assert "FILTERED" in verdicts


@pytest.mark.root
def test_kube_proxy_nftables_dnat_agrees_with_tcp_connects(nft_lab: LabState) -> None:
    """The nftables ruleset's Services are TCP: every pod listens on the endpoints' port 80, pods connect to
    each ClusterIP and each node's NodePorts, and the kernel says whether the connection completed, which pod
    accepted it (the endpoint the DNAT chose) and, through conntrack, every translation on the way; the model's
    branches must agree. Connects to a Service with two endpoints are repeated until both were taken."""
    state = nft_lab
    snap = settled_snapshot(NFT_LAB, "vxlan")
    names = {ns.id: ns.name or ns.id for node in snap.nodes for ns in node.namespaces}
    pods = sorted((str(ns.name), str(ns.pod)) for node in snap.nodes for ns in node.namespaces if ns.pod)
    targets = [(a, "ClusterIP", 80) for a in NFT_CLUSTER_IPS] + [("172.30.0.99", "unallocated ClusterIP", 80)]
    targets += [(n.uplink_ip, f"NodePort {port} on {n.name}", port) for n in state.nodes for port in (3001, 3002, 3003)]
    rng = random.Random(20261208)
    probes = [Probe(*rng.choice(pods), dst, label, 60, True, port, sport=SPORT_BASE + 800 + i)
              for i, (dst, label, port) in enumerate(targets)]
    # svc4 (172.30.0.44) has two endpoints: one connect per try, each from a new source port, until the kernel
    # has taken both (at 1/2 each, missing one in 16 tries has chance 2^-15).
    two = "172.30.0.44"
    tracer = Tracer(Dataplane(snap))
    undecided_before = len(TALLY.undecided_probes)
    with listening([ns for ns, _ in pods], 80) as listeners:
        outcomes = run_connects(tracer, names, probes, listeners)
        src, label = pods[0]
        branches = len(tracer.trace(Flow(start=next(k for k, v in names.items() if v == src), dst=two,
                                         proto="tcp", dport=80)).traces)
        taken: set[str] = set()
        for i in range(16):
            [o] = run_connects(tracer, names, [Probe(src, label, two, "ClusterIP, two endpoints", 60, True, 80,
                                                     sport=SPORT_BASE + 900 + i)], listeners)
            outcomes.append(o)
            taken.add(o.kernel)
            if len(taken) == branches:
                break
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    assert TALLY.undecided_probes[undecided_before:] == []
    assert branches == 2 and len(taken) == 2, taken
    # The DNAT branches were checked by the kernel: connections completed in endpoint pods, and some did not
    # (svc6 has no endpoints and rejects; an address no Service holds is dropped).
    kinds = {o.kernel.split(",")[0] for o in outcomes}
    assert "connected" in kinds and kinds - {"connected"}, kinds
