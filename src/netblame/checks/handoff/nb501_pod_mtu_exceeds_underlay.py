"""NB501: the pods may send packets that, once encapsulated, are larger than the node's uplink carries."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.examples import Data, host, link, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.origin import Origin
from netblame.model.snapshot import Snapshot
from netblame.underlay.node_facts import mtu_fix, mtu_shortfall, node_facts


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    for facts in node_facts(snapshot):
        found = mtu_shortfall(facts)
        if found is None:
            continue
        need, carries = found
        layers = "+".join(facts.encapsulation) or "no encapsulation"
        yield Diagnostic(
            message=(f"node {facts.name}: pods send packets of up to {facts.pod_mtu} bytes; {layers} adds "
                     f"{facts.overhead}, so {need} bytes leave by {facts.uplink}, whose MTU is {carries}: full-size "
                     "packets between pods on different nodes need fragmenting or are dropped with DF set "
                     "(large transfers stall where ICMP 'fragmentation needed' is filtered)"),
            fix=mtu_fix(facts, need),
            location=Origin(object=f"node {facts.name} / dev {facts.uplink}"),
        )


def _small_underlay(data: Data) -> None:
    for i in (1, 2):
        link(host(data, i), "eth0")["mtu"] = 1400
        link(host(data, i), "flannel.1")["mtu"] = 1350  # the kernel clamps the VXLAN device; the pods keep 1450


def _lowered_pods(data: Data) -> None:
    _small_underlay(data)
    for node in data["nodes"]:
        node["namespaces"][1]["links"][0]["mtu"] = 1350


RULE = Rule(
    meta=RuleMeta(
        id="NB501",
        name="pod-mtu-exceeds-underlay",
        title="Pods send more than the underlay carries once encapsulated",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="A node's pods have an MTU that, plus the bytes its tunnels add, is larger than the MTU of the "
                "node's uplink: the network does not carry the packets the cluster sends.",
        rationale=(
            "The network side must carry every packet the pods send after encapsulation: VXLAN and Geneve add "
            "50 bytes over IPv4, IP-in-IP 20, WireGuard 60. When the underlay MTU is lowered (a VPN, PPPoE, a "
            "switch or hypervisor default) but the pods keep their MTU, full-size packets no longer fit: with DF "
            "set the node answers 'fragmentation needed' and relies on path-MTU discovery; where ICMP is filtered "
            "large transfers hang while pings work. NB301 checks the tunnel device against its underlay; this "
            "rule checks what the pods themselves send, which the kernel does not clamp."
        ),
        fix="Raise the MTU of the underlay end to end (every node NIC, switch port and router interface) to the pod "
            "MTU plus the encapsulation overhead, or lower the pod MTU in the CNI configuration to the underlay MTU "
            "minus the overhead (`netblame handoff` prints both figures).",
        references=(
            "Calico, Configure MTU (IP-in-IP 20, VXLAN 50/70, WireGuard 60/80 bytes): "
            "https://docs.tigera.io/calico/latest/networking/configuring/mtu",
            "cilium/cilium pkg/mtu/mtu.go (TunnelOverhead = 50)",
            "netblame's encap.OVERHEAD table (src/netblame/dataplane/encap.py)",
        ),
        examples=(
            Example(name="underlay lowered to 1400, pods still at 1450",
                    files=(("snap.json", two_nodes(_small_underlay)),)),
            Example(name="VXLAN pods at 1450 on a 1500 underlay", files=(("snap.json", two_nodes()),), fires=False),
            Example(name="pods lowered with the underlay", files=(("snap.json", two_nodes(_lowered_pods)),),
                    fires=False),
        ),
    ),
    check=check,
)
