"""Felix's filter table, as a Felix test host wrote it (tests/data/rulesets/calico-felix-1421, the stretches the
stored thread gives), loaded into every node of a Calico-like lab and traced against the kernel.

The lab is the ``routed`` style (BIRD, each node's pod range routed to it) with the ``ptp`` plugin: every pod
behind its own host-side veth with a /32 route, as Calico's CNI plugin attaches one. The table names no address;
what is rewritten is the interfaces: Felix's workload prefix ``cali+`` becomes the ptp plugin's ``veth+``, and
the one workload interface of the dump (``cali7de82f3e9d9``) becomes the host side of the node's first pod. The
ipset ``cali4-all-hosts`` that Felix fills with every Calico host (the IPIP rule of ``cali-INPUT`` matches it)
is created, with the lab's node addresses, with the real ``ipset`` before ``iptables-restore`` reads the table
(it refuses a set that does not exist); the model names that match as not simulated (set members are not
collected), and only an IPIP packet reaches it.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator

import pytest
from tests.dataplane.harness import SPORT_BASE, TALLY, Outcome, Probe, draw, lab_name, run_probes
from tests.dataplane.test_k8s_rulesets_lab import in_node, loaded_lab
from tests.dataplane.test_k8s_rulesets_parse import calico_filter
from tests.dataplane.test_kernel_agreement import _report, settled_snapshot

from netblame import lab
from netblame.dataplane import Dataplane, Disposition, Flow, Tracer
from netblame.lab.state import LabState, NodeState
from netblame.live.run import collect_snapshot

LAB = lab_name("trcal")
WORKLOAD = "cali7de82f3e9d9"
HOSTS_SET = "cali4-all-hosts"


def host_veths(state: LabState, node: NodeState) -> list[str]:
    """The host-side device of each of ``node``'s pods, from the /32 route the ptp plugin installed."""
    out = []
    for pod in state.pods_of(node.name):
        routes = json.loads(in_node(node, "ip", "-j", "route", "show", f"{pod.ip}/32"))
        out.append(str(routes[0]["dev"]))
    return out


def renamed(state: LabState, node: NodeState) -> Callable[[str], str]:
    """The dump's interface names as ``node`` has them."""
    first = host_veths(state, node)[0]

    def apply(text: str) -> str:
        return re.sub(r"\bcali\+", "veth+", text.replace(WORKLOAD, first))

    return apply


def hosts_set(state: LabState, node: NodeState) -> None:
    in_node(node, "ipset", "create", HOSTS_SET, "hash:ip")
    for n in state.nodes:
        in_node(node, "ipset", "add", HOSTS_SET, n.uplink_ip)


@pytest.fixture(scope="module")
def calico_lab() -> Iterator[LabState]:
    spec = lab.LabSpec(name=LAB, style="routed", cni="ptp")
    with loaded_lab(LAB, ["iptables-restore"], calico_filter(), renamed, None, spec, hosts_set) as state:
        yield state


@pytest.mark.root
def test_felix_filter_table_agrees_with_the_kernel(calico_lab: LabState) -> None:
    state = calico_lab
    node = state.nodes[1]
    first = host_veths(state, node)[0]
    saved = in_node(node, "iptables-save", "-t", "filter")
    assert f"-A cali-from-wl-dispatch -i {first} " in saved and "-o veth+ " in saved and "cali+" not in saved
    assert f"--match-set {HOSTS_SET} src" in saved
    snap = settled_snapshot(LAB, "routed")
    undecided_before = len(TALLY.undecided_probes)
    probes = draw(snap, random.Random(20261209), 60, filtered=True)
    # Three probes that cross Felix's own decisions, whatever the draw: the node's second pod to its node (not
    # the dump's workload: "Unknown interface"), its first pod to its node (the workload: cali-wl-to-host lets
    # it through), and a pod elsewhere to that first pod (its profile chain is empty: "Drop if no profiles").
    [first, second] = state.pods_of(node.name)[:2]
    other = state.pods_of(state.nodes[0].name)[0]
    named = [(second.namespace, node.uplink_ip, "Unknown interface"), (first.namespace, node.uplink_ip, None),
             (other.namespace, str(first.ip), "Drop if no profiles matched")]
    probes += [Probe(ns, ns, dst, dst, 120, True, 33500 + i, sport=SPORT_BASE + 600 + i)
               for i, (ns, dst, _) in enumerate(named)]
    outcomes: list[Outcome] = run_probes(snap, probes, lambda: collect_snapshot(lab=LAB)[0])
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    # The probes are UDP: none is an IPIP packet, so none reaches the ipset match.
    assert TALLY.undecided_probes[undecided_before:] == []
    by_name = {ns.name: ns.id for n in snap.nodes for ns in n.namespaces}
    tracer = Tracer(Dataplane(snap))
    for ns, dst, rule in named:
        [trace] = tracer.trace(Flow(start=by_name[ns], dst=dst, proto="udp", dport=33500)).traces
        if rule is None:
            assert trace.disposition is Disposition.DELIVERED
        else:
            assert trace.disposition is Disposition.FILTERED and trace.last is not None
            assert rule in dict(trace.last.steps[-1].facts)["rule"]
    verdicts = {o.model.split(" ")[0] for o in outcomes}
    # Felix's "Unknown interface" and "Drop if no profiles matched" drop what goes to pods; the rest is delivered.
    assert {"FILTERED", "DELIVERED"} <= verdicts, verdicts
