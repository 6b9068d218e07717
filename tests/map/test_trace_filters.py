"""A trace through packet filters and NAT, drawn: the hop where a filter drops it says which rule (FILTERED),
and a hop that translates the packet shows the translation, on the map's data and in the report.
Hand-built snapshots shaped like the lab (tests/dataplane/build.py), with iptables-save text in them."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from tests.dataplane.build import cluster, edit_ns, pod_ip

from netblame.checks import Registry
from netblame.dataplane.index import Dataplane
from netblame.dataplane.verdict import trace_between
from netblame.model.snapshot import IptablesDump, Netfilter, Snapshot
from netblame.render.map_html import render_map_html
from netblame.render.report_page import render_report_html, render_report_md
from netblame.summary import summarize
from netblame.topology import topology

FORWARD_DROP = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"
DNAT = """*nat
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination {to}:5353
COMMIT
"""


def with_rules(snap: Snapshot, ns_id: str, text: str) -> Snapshot:
    return edit_ns(snap, ns_id, netfilter=Netfilter(iptables=(IptablesDump(backend="nft", family=4, text=text),)))


def test_filtered_hop_names_the_rule_and_is_marked() -> None:
    snap = with_rules(cluster("host-routes"), "n2", FORWARD_DROP)
    answer = trace_between(Dataplane(snap), "n1-p1", pod_ip(snap, "n2-p1"), proto="udp", dport=53)
    topo = topology(snap, (), [("t1", answer)])
    (path,) = topo.traces
    assert path.disposition == "FILTERED" and not path.delivered
    last = path.hops[-1]
    assert last.dropped and "filter/FORWARD" in last.stop and "policy DROP" in last.stop
    assert all(not h.stop for h in path.hops[:-1])
    page = render_map_html(topo)
    found = re.search(r'id="nb-data">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    hops = data["traces"][0]["hops"]
    assert "policy DROP" in hops[-1]["stop"] and hops[-1]["ns"] == last.namespace


def test_nat_hop_shows_the_translation_in_the_report() -> None:
    snap = cluster("host-routes")
    to = pod_ip(snap, "n2-p1")
    snap = with_rules(snap, "n1", DNAT.format(to=to))
    answer = trace_between(Dataplane(snap), "n1-p1", "10.96.0.10", proto="udp", dport=53)
    topo = topology(snap, (), [("t1", answer)])
    (path,) = topo.traces
    assert path.delivered
    nat = [n for h in path.hops for n in h.nat]
    assert len(nat) == 1 and f"{to}:5353" in nat[0]
    hop = next(h for h in path.hops if h.nat)
    assert hop.node == "n1" and not hop.stop
    drawn = replace(summarize(snapshot=snap), topology=topo)  # the report's own traces are ICMP; this one is UDP
    assert f"NAT: {nat[0]}".replace(">", "&gt;") in render_report_html(drawn)
    assert "   - NAT: " in render_report_md(drawn)


def test_a_trace_the_model_cannot_decide_blames_nobody() -> None:
    """A filter rule with a match the model does not simulate (UNSIMULATED) is named, not taken as a drop:
    the report's verdict does not point at the node for it."""
    rules = "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m recent --rcheck --name x -j DROP\nCOMMIT\n"
    snap = with_rules(cluster("host-routes"), "n2", rules)
    s = summarize(snapshot=snap, traces=[("n1-p1", pod_ip(snap, "n2-p1"))], registry=Registry())
    (path,) = s.traces
    assert path.disposition == "UNSIMULATED" and "-m recent" in path.hops[-1].stop
    assert s.verdict.side == "none"
    assert any("undecided" in e for e in s.verdict.evidence)
