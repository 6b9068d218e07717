"""Packet filters and NAT in traces, on hand-built snapshots shaped like the lab (tests/dataplane/build.py)."""

from __future__ import annotations

from tests.dataplane.build import cluster, edit_ns, node_ip, pod_ip

from netblame.dataplane import Disposition, Flow, StepKind, trace
from netblame.model.snapshot import IptablesDump, Netfilter, Snapshot

D = Disposition


def with_rules(snap: Snapshot, ns_id: str, text: str) -> Snapshot:
    return edit_ns(snap, ns_id, netfilter=Netfilter(iptables=(IptablesDump(backend="nft", family=4, text=text),)))


FORWARD_DROP = """*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
COMMIT
"""


def test_forward_policy_drop_is_filtered_at_that_node_naming_the_policy() -> None:
    snap = with_rules(cluster("host-routes"), "n2", FORWARD_DROP)
    result = trace(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1"), proto="udp", dport=53))
    assert result.disposition is D.FILTERED
    last = result.worst.last
    assert last is not None and last.namespace == "n2"
    step = last.steps[-1]
    assert step.kind is StepKind.FILTER and "filter/FORWARD" in step.detail and "policy DROP" in step.detail


def test_forward_drop_does_not_touch_traffic_for_the_node_itself() -> None:
    snap = with_rules(cluster("host-routes"), "n2", FORWARD_DROP)
    assert trace(snap, Flow(start="n1-p1", dst=node_ip(2))).disposition is D.DELIVERED


def test_input_drop_of_vxlan_port_filters_the_outer_packet() -> None:
    rules = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -m udp --dport 8472 -j DROP\nCOMMIT\n"
    snap = with_rules(cluster("vxlan"), "n2", rules)
    result = trace(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1")))
    assert result.disposition is D.FILTERED
    assert "--dport 8472 -j DROP" in result.worst.last.steps[-1].detail  # type: ignore[union-attr]
    # A different VXLAN port passes.
    other = with_rules(cluster("vxlan"), "n2", rules.replace("8472", "4789"))
    assert trace(other, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1"))).disposition is D.DELIVERED


def test_reject_says_what_the_sender_sees() -> None:
    rules = ("*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp -m tcp --dport 80 -j REJECT --reject-with "
             "tcp-reset\nCOMMIT\n")
    snap = with_rules(cluster("host-routes"), "n2", rules)
    result = trace(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1"), proto="tcp", dport=80))
    assert result.disposition is D.FILTERED
    assert "TCP reset" in result.worst.last.steps[-1].detail  # type: ignore[union-attr]
    assert trace(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1"), proto="tcp",
                            dport=81)).disposition is D.DELIVERED


def test_clusterip_dnat_gives_one_branch_per_endpoint() -> None:
    snap = cluster("host-routes")
    a, b = pod_ip(snap, "n2-p1"), pod_ip(snap, "n2-p2")
    rules = f"""*nat
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-X - [0:0]
:KUBE-SEP-A - [0:0]
:KUBE-SEP-B - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-X
-A KUBE-SVC-X -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-A
-A KUBE-SVC-X -j KUBE-SEP-B
-A KUBE-SEP-A -p udp -m udp -j DNAT --to-destination {a}:5353
-A KUBE-SEP-B -p udp -m udp -j DNAT --to-destination {b}:5353
COMMIT
"""
    snap = with_rules(snap, "n1", rules)
    result = trace(snap, Flow(start="n1-p1", dst="10.96.0.10", proto="udp", dport=53))
    assert [t.disposition for t in result.traces] == [D.DELIVERED, D.DELIVERED]
    ends = [t.last.namespace for t in result.traces]  # type: ignore[union-attr]
    assert ends == ["n2-p1", "n2-p2"]
    nats = [s for t in result.traces for h in t.hops for s in h.steps if s.kind is StepKind.NAT]
    assert [dict(s.facts)["to"] for s in nats] == [f"{a}:5353", f"{b}:5353"]


def test_unknown_match_is_named_not_ignored() -> None:
    rules = "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m recent --rcheck --name x -j DROP\nCOMMIT\n"
    snap = with_rules(cluster("host-routes"), "n2", rules)
    result = trace(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1")))
    assert result.disposition is D.UNSIMULATED
    assert "-m recent" in " ".join(s.detail for s in result.worst.last.steps)  # type: ignore[union-attr]


def test_masquerade_rewrites_the_source_to_the_outgoing_device() -> None:
    rules = ("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 10.244.0.0/24 ! -d 10.244.0.0/16 -j MASQUERADE\n"
             "COMMIT\n")
    snap = with_rules(cluster("host-routes"), "n1", rules)
    result = trace(snap, Flow(start="n1-p1", dst=node_ip(2)))
    assert result.disposition is D.DELIVERED
    nat = [s for h in result.worst.hops for s in h.steps if s.kind is StepKind.NAT]
    assert len(nat) == 1 and dict(nat[0].facts)["to"] == node_ip(1)


def test_mark_feeds_policy_rules() -> None:
    rules = "*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j MARK --set-xmark 0x10/0xffffffff\nCOMMIT\n"
    from netblame.model.snapshot import PolicyRule as Rule
    from netblame.model.snapshot import Route
    snap = cluster("host-routes")
    snap = with_rules(snap, "n1-p1", rules)
    snap = edit_ns(snap, "n1-p1", rules=(
        Rule(family=4, priority=0, action="lookup", table="local"),
        Rule(family=4, priority=100, action="blackhole", fwmark=0x10),
        Rule(family=4, priority=32766, action="lookup", table="main")),
        routes=(*[r for n in snap.nodes for ns in n.namespaces if ns.id == "n1-p1" for r in ns.routes],
                Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", dev="eth0")))
    result = trace(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1")))
    assert result.disposition is D.BLACKHOLE
