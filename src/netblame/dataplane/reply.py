"""The way back: the reply to a delivered packet, from where it arrived back to the client, as conntrack sees it.

A delivered branch leaves behind, in every namespace with packet filters it passed, a conntrack entry: the tuple
as the packet arrived there and as it left (``Trace.conntrack``). The reply starts where the packet was delivered,
with the reverse of the tuple it arrived with, and is routed like any packet (routes, rp_filter, neighbours,
devices, MTU). In a namespace whose entry it matches (the reply tuple is the reverse of the translated tuple) it is
ESTABLISHED: filters see ``ctstate ESTABLISHED``, no nat chain runs, and conntrack reverses that namespace's NAT
where the kernel does (``nf_nat_inet_fn``): an SNAT (masquerade) at PREROUTING/OUTPUT, where the destination
becomes the original client again, a DNAT at POSTROUTING/INPUT, where the source becomes the address the client
sent to (the Service IP or node port). A namespace whose entry it does not match, or that the packet never
passed, sees it as a new connection. The reply reaches the client as the answer it waits for only when it comes
from the address and port the client sent to; otherwise the disposition is ``REPLY_MISMATCH`` (a TCP client
answers with a reset, a connected UDP socket drops it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from netblame.dataplane.index import NsView
from netblame.dataplane.lpm import format_ip, parse_ip
from netblame.dataplane.netfilter.evaluate import Conn
from netblame.dataplane.result import (
    Action,
    CtEntry,
    Disposition,
    Flow,
    Step,
    StepKind,
    Trace,
    TraceResult,
    Tuple,
)
from netblame.dataplane.walk import Branch, Packet

if TYPE_CHECKING:
    from netblame.dataplane.engine import Tracer

DST_HOOKS = ("prerouting", "output")  # where conntrack's destination manipulation runs
SRC_HOOKS = ("postrouting", "input")


@dataclass(frozen=True, slots=True)
class Conntrack:
    """The forward branch's conntrack entries, by namespace, that its reply meets."""

    entries: dict[str, CtEntry]


def endpoint(family: int, addr: int, port: int | None) -> str:
    """``address:port`` (or the address alone)."""
    return format_ip(family, addr) + (f":{port}" if port is not None else "")


def _reverse(t: Tuple) -> Tuple:
    return (t[2], t[3], t[0], t[1])


def _same(a: Tuple, b: Tuple) -> bool:
    """Tuples equal where both know the ports (the client's source port is often left to the kernel)."""
    return a[0] == b[0] and a[2] == b[2] and all(x is None or y is None or x == y for x, y in ((a[1], b[1]),
                                                                                               (a[3], b[3])))


def arrive(br: Branch, view: NsView, pkt: Packet, hook: str) -> Packet:
    """Before a hook runs on a reply: attach it to this namespace's entry when it matches (ESTABLISHED), and
    reverse an SNAT at PREROUTING/OUTPUT."""
    ct = pkt.ct
    assert ct is not None
    if pkt.conn_ns != view.id:
        entry = ct.entries.get(view.id)
        if entry is None:
            return pkt
        if not _same(pkt.four(), _reverse(entry.translated)):
            fam = pkt.family
            br.step(StepKind.FILTER, Action.WARNED, f"conntrack here tracks the connection as "
                    f"{endpoint(fam, entry.translated[0], entry.translated[1])} -> "
                    f"{endpoint(fam, entry.translated[2], entry.translated[3])}, but this reply comes as "
                    f"{endpoint(fam, pkt.src or 0, pkt.sport)} -> {endpoint(fam, pkt.dst, pkt.dport)}: it does not "
                    "match, so it is a new connection here")
            return pkt
        conn = Conn(pkt.family, pkt.src or 0, pkt.dst, pkt.proto, pkt.sport, pkt.dport, mark=pkt.mark,
                    dnat=entry.dnat, snat=entry.snat, established=True)
        pkt = replace(pkt, conn=conn, conn_ns=view.id)
        br.step(StepKind.FILTER, Action.MATCHED, "conntrack: the reply matches the connection tracked here "
                "(ctstate ESTABLISHED; no nat chain runs)")
    entry = ct.entries.get(view.id)
    if entry is None or pkt.conn is None or not pkt.conn.established or hook not in DST_HOOKS or not entry.snat:
        return pkt
    if pkt.dst == entry.original[0] and pkt.dport == entry.original[1]:
        return pkt
    old = endpoint(pkt.family, pkt.dst, pkt.dport)
    pkt = replace(pkt, dst=entry.original[0], dport=entry.original[1] if entry.original[1] is not None else pkt.dport)
    _nat_step(br, "un-snat", hook, old, endpoint(pkt.family, pkt.dst, pkt.dport),
              "the source NAT (masquerade) is reversed: the destination becomes the original client")
    return pkt


def leave(br: Branch, view: NsView, pkt: Packet, hook: str) -> Packet:
    """After a hook accepted a reply: reverse a DNAT at POSTROUTING/INPUT."""
    entry = pkt.ct.entries.get(view.id) if pkt.ct is not None else None
    if entry is None or pkt.conn_ns != view.id or pkt.conn is None or not pkt.conn.established:
        return pkt
    if hook not in SRC_HOOKS or not entry.dnat or (pkt.src, pkt.sport) == entry.original[2:]:
        return pkt
    old = endpoint(pkt.family, pkt.src or 0, pkt.sport)
    pkt = replace(pkt, src=entry.original[2], sport=entry.original[3] if entry.original[3] is not None else pkt.sport)
    _nat_step(br, "un-dnat", hook, old, endpoint(pkt.family, pkt.src or 0, pkt.sport),
              "the destination NAT is reversed: the source becomes the address the client sent to")
    return pkt


def _nat_step(br: Branch, kind: str, hook: str, old: str, new: str, why: str) -> None:
    br.step(StepKind.NAT, Action.MATCHED, f"conntrack ({hook.upper()}): {why}: {old} -> {new}",
            nat=kind, hook=hook, **{"from": old, "to": new})


def bridged_past(br: Branch, view: NsView, pkt: Packet, bridge: str) -> None:
    """A reply bridged port to port where bridged frames skip netfilter: say so when conntrack here holds the
    connection (its NAT is then not reversed)."""
    ct = pkt.ct
    if ct is None or view.id not in ct.entries:
        return
    key = "net.bridge.bridge-nf-call-iptables" if pkt.family == 4 else "net.bridge.bridge-nf-call-ip6tables"
    br.step(StepKind.FILTER, Action.WARNED, f"the reply is bridged on {bridge} from port to port, and bridged frames "
            f"skip iptables and conntrack here ({key}={view.ns.sysctls.get(key, 'unset')}): the connection's NAT "
            "on this node is not reversed")


# -- the reply as a trace ------------------------------------------------------------------------------------

def start_tuple(trace: Trace) -> Tuple | None:
    """The tuple the client sent (None when the trace never chose a source address)."""
    if trace.src is None:
        return None
    return (parse_ip(trace.src)[1], trace.flow.sport, parse_ip(trace.flow.dst)[1], trace.flow.dport)


def reply_flow(trace: Trace) -> Flow | None:
    """The reply to a delivered branch: from where it arrived, the reverse of the tuple it arrived with."""
    sent = start_tuple(trace)
    if trace.disposition is not Disposition.DELIVERED or trace.last is None or sent is None:
        return None
    src, sport, dst, dport = trace.final or sent
    fam = parse_ip(trace.flow.dst)[0]
    f = trace.flow
    return Flow(start=trace.last.namespace, dst=format_ip(fam, src), src=format_ip(fam, dst), proto=f.proto,
                dport=sport, sport=dport, size=f.size, df=f.df)


def with_replies(tracer: Tracer, result: TraceResult) -> TraceResult:
    """``result`` with every delivered branch's reply traced (``Trace.reply``)."""
    traces = []
    for t in result.traces:
        flow = reply_flow(t)
        if flow is None:
            traces.append(t)
            continue
        back = tracer.trace(flow, Conntrack({e.namespace: e for e in t.conntrack}))
        traces.append(replace(t, reply=TraceResult(flow, tuple(_judge(t, r) for r in back.traces))))
    return TraceResult(result.flow, tuple(traces))


def _judge(forward: Trace, back: Trace) -> Trace:
    """A delivered reply is the client's answer only if it comes from where the client sent to, to the client."""
    if back.disposition is not Disposition.DELIVERED or back.last is None:
        return back
    sent = start_tuple(forward)
    rf = back.flow
    fam = parse_ip(rf.dst)[0]
    got = back.final or (parse_ip(rf.src or "")[1], rf.sport, parse_ip(rf.dst)[1], rf.dport)
    assert sent is not None
    if back.last.namespace == forward.flow.start and _same(got, _reverse(sent)):
        return back
    came = f"{endpoint(fam, got[0], got[1])} -> {endpoint(fam, got[2], got[3])}"
    want = f"{endpoint(fam, sent[2], sent[3])} -> {endpoint(fam, sent[0], sent[1])}"
    where = "" if back.last.namespace == forward.flow.start else f" at {back.last.label}, not at the client"
    step = Step(StepKind.LOCAL, Action.DROPPED, f"the reply arrives as {came}{where}, but the client waits for "
                f"{want}: a NAT on the way there was not reversed on the way back, so no socket takes it (a TCP "
                "client answers with a reset, a connected UDP socket drops it)", (("expected", want), ("got", came)))
    hop = back.last
    hops = (*back.hops[:-1], replace(hop, steps=(*hop.steps, step)))
    return replace(back, disposition=Disposition.REPLY_MISMATCH, hops=hops)
