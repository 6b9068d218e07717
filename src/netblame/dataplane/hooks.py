"""The netfilter hooks as steps of a trace: run one hook of a namespace's ruleset on the packet in flight.

Conntrack is per namespace: a packet's connection (its NAT so far, its conntrack mark) starts afresh in each
namespace it enters, and so does its mark (a veth into another namespace scrubs it). A hook may fork the
packet (statistic/numgen: one branch per endpoint) and ends a branch when it drops or rejects (FILTERED) or
when its verdict depends on something the model does not simulate (UNSIMULATED, naming the rule). Each hook
records on the branch what conntrack there saw of the packet (for its reply), and a reply (``Packet.ct``) meets
the entries its forward packet left (:mod:`netblame.dataplane.reply`).
"""

from __future__ import annotations

from dataclasses import replace

from netblame.dataplane import reply
from netblame.dataplane.index import NsView
from netblame.dataplane.lpm import format_ip
from netblame.dataplane.netfilter.evaluate import Conn, Note, Outcome
from netblame.dataplane.result import Action, Disposition, Flow, StepKind, Trace
from netblame.dataplane.walk import Branch, Packet

NOTE_KIND = {"nat": (StepKind.NAT, Action.MATCHED), "mark": (StepKind.FILTER, Action.MATCHED),
             "branch": (StepKind.FILTER, Action.MATCHED), "filter": (StepKind.FILTER, Action.DROPPED),
             "unknown": (StepKind.UNSIMULATED, Action.WARNED)}
# What the sender of a rejected packet sees, by --reject-with.
REJECT_SEEN = {"tcp-reset": "a TCP reset (ECONNREFUSED)", "icmp-port-unreachable": "ICMP port unreachable "
               "(ECONNREFUSED)", "icmp-host-unreachable": "ICMP host unreachable (EHOSTUNREACH)",
               "icmp-net-unreachable": "ICMP network unreachable (ENETUNREACH)", "icmp-admin-prohibited":
               "ICMP administratively prohibited (EHOSTUNREACH)", "icmp-host-prohibited": "ICMP host prohibited "
               "(EHOSTUNREACH)", "icmp-net-prohibited": "ICMP network prohibited (ENETUNREACH)",
               "icmp-proto-unreachable": "ICMP protocol unreachable (ENOPROTOOPT)"}
Continuation = tuple[Branch, Packet]


def _conn(view: NsView, pkt: Packet, iif: str | None, oif: str | None) -> Conn:
    if pkt.conn is not None and pkt.conn_ns == view.id:
        return replace(pkt.conn, iif=iif, oif=oif, mark=pkt.mark, src=pkt.src or 0, dst=pkt.dst,
                       dport=pkt.dport, sport=pkt.sport)
    return Conn(pkt.family, pkt.src or 0, pkt.dst, pkt.proto, pkt.sport, pkt.dport, iif, oif, pkt.mark)


def _note_step(br: Branch, note: Note) -> None:
    kind, action = NOTE_KIND.get(note.what, (StepKind.FILTER, Action.MATCHED))
    br.step(kind, action, note.text, **dict(note.facts))


def run(br: Branch, flow: Flow, view: NsView, pkt: Packet, hook: str, iif: str | None,
        oif: str | None) -> tuple[list[Continuation], list[Trace]]:
    """Run ``hook``: the branches that go on (each with its packet as translated) and those that ended."""
    ev = view.netfilter
    if ev is None or pkt.src is None:
        return [(br, pkt)], []
    before = pkt.four()
    if pkt.ct is not None:
        pkt = reply.arrive(br, view, pkt, hook)
    outcomes = ev.run_hook(hook, _conn(view, pkt, iif, oif))
    go: list[Continuation] = []
    ended: list[Trace] = []
    for n, o in enumerate(outcomes):
        b = br if n == len(outcomes) - 1 else br.fork()
        for note in o.notes:
            _note_step(b, note)
        if o.verdict == "accept":
            p = _packet(view, pkt, o)
            if p.ct is not None:
                p = reply.leave(b, view, p, hook)
            if p.inner is None:  # conntrack of the packet itself, not of a tunnel's outer header
                b.track(view.id, before, p.four())
            go.append((b, p))
            continue
        if o.verdict == "reject" and hook == "output":
            b.devices.append("lo")  # the ICMP error (or reset) comes back to the local sender over lo
        ended += _end(b, flow, hook, o)
    return go, ended


def _packet(view: NsView, pkt: Packet, o: Outcome) -> Packet:
    c = o.conn
    return replace(pkt, src=c.src, dst=c.dst, dport=c.dport, sport=c.sport, mark=c.mark, conn=c, conn_ns=view.id)


def _end(br: Branch, flow: Flow, hook: str, o: Outcome) -> list[Trace]:
    if o.verdict == "unknown":
        if not any(s.kind is StepKind.UNSIMULATED for s in br.steps[-1:]):
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"{o.where} (on the {hook.upper()} hook): the verdict "
                    f"depends on {o.rule}, which is not simulated")
        return br.end(flow, Disposition.UNSIMULATED)
    what = o.rule if o.rule.startswith("policy") else f"rule {o.rule}"
    seen = f"; the sender gets {REJECT_SEEN.get(o.reject_with or '', o.reject_with)}" if o.verdict == "reject" else ""
    on = "" if o.where.endswith(f"/{hook.upper()}") else f" (on the {hook.upper()} hook)"
    br.step(StepKind.FILTER, Action.DROPPED, f"{o.where}{on}: {o.verdict.upper()} by {what}{seen}",
            hook=hook, where=o.where, rule=o.rule, verdict=o.verdict, reject_with=o.reject_with)
    return br.end(flow, Disposition.FILTERED)


def describe_nat(pkt: Packet) -> str:
    """``src -> dst`` of a translated packet, for messages."""
    src = format_ip(pkt.family, pkt.src) if pkt.src is not None else "?"
    return f"{src} -> {format_ip(pkt.family, pkt.dst)}"
