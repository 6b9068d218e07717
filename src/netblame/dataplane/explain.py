"""One sentence, in words both a network engineer and a platform engineer use, saying where and why a
trace ended the way it did."""

from __future__ import annotations

from netblame.dataplane.endpoints import Endpoint
from netblame.dataplane.index import Dataplane
from netblame.dataplane.result import Action, Disposition, Step, Trace, TraceResult


def _last_drop(trace: Trace) -> Step | None:
    hop = trace.last
    if hop is None:
        return None
    drops = [s for s in hop.steps if s.action in (Action.DROPPED, Action.WARNED)]
    return drops[-1] if drops else (hop.steps[-1] if hop.steps else None)


def _pod_range_note(dp: Dataplane, dst: str) -> str:
    """Why no node owns ``dst``: which node has which pod range, and which have none."""
    from netblame.dataplane.lpm import in_prefix, parse_ip, parse_prefix

    try:
        fam, addr = parse_ip(dst)
    except ValueError:
        return ""
    nodes = [n for n in dp.snapshot.nodes if n.role == "node"]
    for node in nodes:
        for cidr in node.pod_cidrs:
            f, net, plen = parse_prefix(cidr)
            if f == fam and in_prefix(fam, addr, net, plen):
                return f" although it lies in node {node.name}'s pod range {cidr}"
    without = [n.name for n in nodes if not n.pod_cidrs]
    if without and any(n.pod_cidrs for n in nodes):
        return (f": {dst} is in no node's pod range, and node{'s' if len(without) > 1 else ''} "
                f"{', '.join(without)} {'have' if len(without) > 1 else 'has'} no pod range at all, so "
                f"{'they have' if len(without) > 1 else 'it has'} no pods and no route leads to "
                f"{'them' if len(without) > 1 else 'it'}")
    return ""


def explain(dp: Dataplane, result: TraceResult, src: Endpoint, dst: Endpoint) -> str:
    """The sentence for the worst branch."""
    trace = result.worst
    hop = trace.last
    where = hop.label if hop else "the source"
    step = _last_drop(trace)
    why = step.detail if step else ""
    d = trace.disposition
    branches = f" ({len(result.traces)} equal-cost paths; this is the worst)" if len(result.traces) > 1 else ""
    s, t = src.label, dst.label
    if d is Disposition.DELIVERED:
        via = " -> ".join(h.label for h in trace.hops)
        tunnels = sorted({f"{h.kind.upper()} VNI {h.vni}" if h.vni else h.kind.upper() for hop in trace.hops
                          for h in hop.encap})
        over = f", tunnelled in {', '.join(tunnels)}" if tunnels else ""
        return f"{s} reaches {t} via {via}{over}: routing, neighbours and forwarding allow it{branches}."
    if d is Disposition.NO_ROUTE:
        return (f"{where} has no route to {dst.address or t}{_pod_range_note(dp, dst.address or '')}, so the "
                f"packet from {s} is dropped there{branches}.")
    if d is Disposition.EXITS_NETWORK:
        return f"The packet from {s} leaves the snapshot at {where} towards {t}; what happens beyond is unknown."
    texts = {
        Disposition.BLACKHOLE: "a blackhole route silently discards it",
        Disposition.UNREACHABLE: "an unreachable route rejects it",
        Disposition.PROHIBITED: "a prohibit route rejects it",
        Disposition.NEIGHBOR_FAILED: "no device answers ARP for the next hop",
        Disposition.FORWARDING_DISABLED: "IP forwarding is off there, so it will not route packets for others",
        Disposition.RP_FILTER: "strict reverse-path filtering drops it because the reply would leave "
                               "through a different interface",
        Disposition.MTU_EXCEEDED: "it is too big for the next link and may not be fragmented (DF)",
        Disposition.NO_FDB: "the bridge or tunnel has no forwarding entry for its destination",
        Disposition.NOT_FOR_THIS_HOST: "it arrives at a host whose MAC address it does not carry "
                                       "(a wrong forwarding entry sent it there)",
        Disposition.NO_TUNNEL_ENDPOINT: "no tunnel device there takes the encapsulated packet",
        Disposition.LOOP: "the routes send it in a circle",
        Disposition.TTL_EXCEEDED: "its TTL runs out",
        Disposition.DEVICE_DOWN: "a device on the path is down",
        Disposition.UNSIMULATED: "what happens there is not simulated",
    }
    return f"The packet from {s} to {t} dies at {where}: {texts[d]} ({why}){branches}."
