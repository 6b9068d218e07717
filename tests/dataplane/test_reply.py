"""The reply direction on hand-built snapshots (tests/dataplane/build.py): conntrack reverses each NAT where the
forward packet was translated, filters see the reply as ESTABLISHED, and a reply that skips the translating node
arrives as something the client never asked for. The kernel's side of the same is in test_kernel_agreement.py
(whole TCP connections through the lab's Service)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.dataplane.build import cluster, edit_ns, node_ip, pod_ip
from tests.dataplane.test_netfilter_trace import with_rules

from netblame.cli.main import cli
from netblame.dataplane import Dataplane, Disposition, Flow, StepKind, Trace, Tracer, TraceResult
from netblame.dataplane.reply import with_replies
from netblame.live.snapshot_io import save_snapshot
from netblame.model.snapshot import Snapshot

D = Disposition


def traced(snap: Snapshot, flow: Flow) -> TraceResult:
    tracer = Tracer(Dataplane(snap))
    return with_replies(tracer, tracer.trace(flow))


def nat_facts(trace: Trace) -> list[dict[str, str]]:
    return [dict(s.facts) for h in trace.hops for s in h.steps if s.kind is StepKind.NAT]


def clusterip(endpoints: list[str], masquerade: bool = False) -> str:
    chains = "".join(f":KUBE-SEP-{i} - [0:0]\n" for i in range(len(endpoints)))
    rules = []
    for i, ep in enumerate(endpoints):
        pick = f"-m statistic --mode random --probability {1 / (len(endpoints) - i):.11f} " \
            if i < len(endpoints) - 1 else ""
        rules += [f"-A KUBE-SVC-X {pick}-j KUBE-SEP-{i}", f"-A KUBE-SEP-{i} -p tcp -m tcp -j DNAT --to-destination "
                  f"{ep}:8080"]
    masq = "-A POSTROUTING -m addrtype ! --src-type LOCAL -d 10.244.0.0/16 -j MASQUERADE\n" if masquerade else ""
    return ("*nat\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n"
            f":KUBE-SVC-X - [0:0]\n{chains}-A PREROUTING -j KUBE-SERVICES\n-A OUTPUT -j KUBE-SERVICES\n"
            "-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-X\n"
            f"-A KUBE-SERVICES -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30080 -j KUBE-SVC-X\n{masq}"
            + "\n".join(rules) + "\nCOMMIT\n")


def test_clusterip_reply_comes_back_from_the_service_address_through_the_dnating_node() -> None:
    snap = cluster("host-routes")
    eps = [pod_ip(snap, "n2-p1"), pod_ip(snap, "n2-p2")]
    snap = with_rules(snap, "n1", clusterip(eps))
    result = traced(snap, Flow(start="n1-p1", dst="10.96.0.10", proto="tcp", dport=80, sport=40000))
    assert result.replies_ok and len(result.traces) == 2
    for trace, ep in zip(result.traces, eps, strict=True):
        back = trace.reply
        assert back is not None and back.disposition is D.DELIVERED
        assert (back.flow.src, back.flow.dst, back.flow.sport, back.flow.dport) == (ep, pod_ip(snap, "n1-p1"),
                                                                                  8080, 40000)
        assert [h.namespace for h in back.worst.hops] == ["n2-p1" if ep == eps[0] else "n2-p2", "n2", "lan", "n1",
                                                          "n1-p1"]
        undo = nat_facts(back.worst)
        assert [(f["nat"], f["from"], f["to"]) for f in undo] == [("un-dnat", f"{ep}:8080", "10.96.0.10:80")]


def test_nodeport_reply_is_un_masqueraded_then_un_dnatted_on_the_node() -> None:
    snap = cluster("host-routes")
    ep = pod_ip(snap, "n2-p1")
    snap = with_rules(snap, "n2", clusterip([ep], masquerade=True))
    result = traced(snap, Flow(start="n1", src=node_ip(1), dst=node_ip(2), proto="tcp", dport=30080))
    trace = result.worst
    assert trace.disposition is D.DELIVERED and trace.last is not None and trace.last.namespace == "n2-p1"
    assert [f["nat"] for f in nat_facts(trace)] == ["dnat", "masquerade"]
    back = trace.reply
    assert back is not None and back.disposition is D.DELIVERED
    assert back.flow.dst == "10.244.1.1"  # the masquerade address on cni0
    undo = [(f["nat"], f["to"]) for f in nat_facts(back.worst)]
    assert undo == [("un-snat", node_ip(1)), ("un-dnat", f"{node_ip(2)}:30080")]
    assert back.worst.last is not None and back.worst.last.namespace == "n1"


def test_reply_that_skips_the_dnating_node_arrives_from_the_wrong_address() -> None:
    snap = cluster("host-routes", nodes=3)
    ep = pod_ip(snap, "n1-p1")
    snap = with_rules(snap, "n2", clusterip([ep]))  # a node port without masquerade
    result = traced(snap, Flow(start="n3", src=node_ip(3), dst=node_ip(2), proto="tcp", dport=30080))
    trace = result.worst
    assert trace.disposition is D.DELIVERED and not result.replies_ok
    back = trace.reply
    assert back is not None and back.disposition is D.REPLY_MISMATCH
    assert [h.namespace for h in back.worst.hops] == ["n1-p1", "n1", "lan", "n3"]  # straight back, not via n2
    last = back.worst.hops[-1].steps[-1]
    assert dict(last.facts) == {"expected": f"{node_ip(2)}:30080 -> {node_ip(3)}", "got": f"{ep}:8080 -> {node_ip(3)}"}


FORWARD_NEW_ONLY = """*filter
:FORWARD DROP [0:0]
-A FORWARD -m conntrack --ctstate NEW -j ACCEPT
COMMIT
"""


def test_filters_see_the_reply_as_established() -> None:
    snap = cluster("host-routes")
    flow = Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1"), proto="udp", dport=53)
    only_new = traced(with_rules(snap, "n1", FORWARD_NEW_ONLY), flow).worst
    assert only_new.disposition is D.DELIVERED  # the first packet is NEW
    assert only_new.reply is not None and only_new.reply.disposition is D.FILTERED
    assert "policy DROP" in only_new.reply.worst.hops[-1].steps[-1].detail
    both = FORWARD_NEW_ONLY.replace("COMMIT", "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
                                                "COMMIT")
    ok = traced(with_rules(snap, "n1", both), flow).worst
    assert ok.reply is not None and ok.reply.disposition is D.DELIVERED


def test_no_reply_for_a_packet_that_is_not_delivered() -> None:
    snap = edit_ns(cluster("host-routes"), "n1", sysctls={"net.ipv4.ip_forward": "0"})
    result = traced(snap, Flow(start="n1-p1", dst=pod_ip(snap, "n2-p1"), proto="tcp", dport=80))
    assert result.disposition is not D.DELIVERED and all(t.reply is None for t in result.traces)


def _nodeport_without_masquerade(tmp_path: Path) -> Path:
    snap = cluster("host-routes", nodes=3)
    snap = with_rules(snap, "n2", clusterip([pod_ip(snap, "n1-p1")]))
    path = tmp_path / "lab.json"
    save_snapshot(snap, path)
    return path


def test_cli_shows_the_reply_and_fails_when_it_does_not_come_back(tmp_path: Path) -> None:
    path = _nodeport_without_masquerade(tmp_path)
    args = ["trace", node_ip(3), node_ip(2), "--proto", "tcp", "--dport", "30080", "--snapshot", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "  reply: REPLY_MISMATCH" in result.stdout and "does not come back as the answer" in result.stdout
    quiet = CliRunner().invoke(cli, [*args, "--no-reply"])
    assert quiet.exit_code == 0 and "  reply" not in quiet.stdout and "REPLY_MISMATCH" not in quiet.stdout
    doc = json.loads(CliRunner().invoke(cli, [*args, "-o", "json"]).stdout)
    assert doc["disposition"] == "DELIVERED" and doc["replies_ok"] is False
    back = doc["branches"][0]["reply"]
    assert back["disposition"] == "REPLY_MISMATCH" and back["flow"]["sport"] == 8080
    documented = (Path(__file__).resolve().parents[2] / "docs" / "trace-schema.md").read_text()
    for key in [*back, *back["flow"], "replies_ok"]:
        assert f"`{key}`" in documented, key


def test_icmp_reply_only_when_asked(tmp_path: Path) -> None:
    path = _nodeport_without_masquerade(tmp_path)
    base = ["trace", "n1-p1", "n2-p1", "--snapshot", str(path), "-o", "json"]
    plain = json.loads(CliRunner().invoke(cli, base).stdout)
    assert "reply" not in plain["branches"][0]
    asked = json.loads(CliRunner().invoke(cli, [*base, "--reply"]).stdout)
    assert asked["branches"][0]["reply"]["disposition"] == "DELIVERED" and asked["replies_ok"] is True
