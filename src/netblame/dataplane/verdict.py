"""One sentence, in words both a network engineer and a platform engineer use, saying where and why a
trace ended the way it did."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from netblame._text import small_int
from netblame.dataplane.endpoints import Endpoint, resolve, same_family
from netblame.dataplane.engine import Tracer
from netblame.dataplane.index import Dataplane
from netblame.dataplane.lpm import in_prefix, parse_ip, parse_prefix
from netblame.dataplane.reply import with_replies
from netblame.dataplane.result import Action, Disposition, Flow, Step, StepKind, Trace, TraceResult
from netblame.errors import InputError
from netblame.ipmath import bits, node_blocks, prefix_for_blocks


@dataclass(frozen=True, slots=True)
class PodRanges:
    """The pod range, node mask and node count where they are known (a lab's state says them; a
    snapshot alone does not)."""

    pod_cidr: str
    node_mask: int
    nodes: int


def _ranges_words(dp: Dataplane, known: PodRanges | None) -> str:
    """Why some nodes got no range, in the user's own values, with the fix."""
    have = [(n.name, c) for n in dp.snapshot.nodes if n.role == "node" for c in n.pod_cidrs]
    taken = ", ".join(f"{name} took {cidr}" for name, cidr in have) or "no node got one"
    if known is None:
        return f" ({taken})"
    net = ipaddress.ip_network(known.pod_cidr, strict=False)
    ranges = node_blocks(net, known.node_mask)
    width = bits(net.version)
    # How many prefix bits n blocks take: a range n blocks wide is that much shorter than one block.
    grow = width - (prefix_for_blocks(known.nodes, width) or 0)
    fix = f"--pod-cidr a /{max(0, known.node_mask - grow)}"
    if net.prefixlen + grow <= width:
        fix += f", or --node-mask {net.prefixlen + grow}"
    return (f": the pod range {known.pod_cidr} cut into /{known.node_mask} node ranges holds {ranges} for "
            f"{known.nodes} nodes and {taken} (give {fix})")


def missing_pod(dp: Dataplane, pod: str, node: str, known: PodRanges | None) -> str:
    """The sentence for a pod that does not exist because its node has no pod range."""
    return (f"{pod} cannot be reached because node {node} has no pod range{_ranges_words(dp, known)}, so {node} "
            "runs no pods and no node has a route to it.")


def _last_drop(trace: Trace) -> Step | None:
    hop = trace.last
    if hop is None:
        return None
    drops = [s for s in hop.steps if s.action in (Action.DROPPED, Action.WARNED)]
    return drops[-1] if drops else (hop.steps[-1] if hop.steps else None)


def _pod_range_note(dp: Dataplane, dst: str, known: PodRanges | None) -> str:
    """Why no node owns ``dst``: which node has which pod range, and which have none."""
    try:
        fam, addr = parse_ip(dst)
    except ValueError:
        return ""
    nodes = [n for n in dp.snapshot.nodes if n.role == "node"]
    for node in nodes:
        for cidr in node.pod_cidrs:
            try:
                f, net, plen = parse_prefix(cidr)
            except ValueError:  # a hand-edited snapshot; NB1xx rules report the range itself
                continue
            if f == fam and in_prefix(fam, addr, net, plen):
                return f", although {dst} lies in node {node.name}'s pod range {cidr}"
    without = [n.name for n in nodes if not n.pod_cidrs]
    if without and any(n.pod_cidrs for n in nodes):
        return (f": {dst} is in no node's pod range, and node{'s' if len(without) > 1 else ''} "
                f"{', '.join(without)} {'have' if len(without) > 1 else 'has'} no pod range at all, so "
                f"{'they have' if len(without) > 1 else 'it has'} no pods and no route leads to "
                f"{'them' if len(without) > 1 else 'it'}{_ranges_words(dp, known)}")
    return ""


def sentence(dp: Dataplane, result: TraceResult, src: Endpoint, dst: Endpoint, known: PodRanges | None = None) -> str:
    """The sentence for the worst branch."""
    trace = result.worst
    hop = trace.last
    where = hop.label if hop else "the source"
    step = _last_drop(trace)
    why = step.detail if step else ""
    d = trace.disposition
    nat = any(s.kind is StepKind.NAT for t in result.traces for h in t.hops for s in h.steps)
    kind = "branches (endpoints or equal-cost paths)" if nat else "equal-cost paths"
    branches = f" ({len(result.traces)} {kind}; this is the worst)" if len(result.traces) > 1 else ""
    s, t = src.label, dst.label
    if d is Disposition.DELIVERED:
        via = " -> ".join(h.label for h in trace.hops)
        tunnels = sorted({f"{h.kind.upper()} VNI {h.vni}" if h.vni else h.kind.upper() for hop in trace.hops
                          for h in hop.encap})
        over = f", tunnelled in {', '.join(tunnels)}" if tunnels else ""
        return (f"{s} reaches {t} via {via}{over}: routing, neighbours, forwarding and packet filters allow it"
                f"{branches}.")
    if d is Disposition.NO_ROUTE:
        return (f"{where} has no route to {dst.address or t}, so the packet from {s} is dropped there"
                f"{_pod_range_note(dp, dst.address or '', known)}{branches}.")
    if d is Disposition.EXITS_NETWORK:
        return f"The packet from {s} leaves the snapshot at {where} towards {t}; what happens beyond is unknown."
    texts = {
        Disposition.BLACKHOLE: "a blackhole route silently discards it",
        Disposition.UNREACHABLE: "an unreachable route rejects it",
        Disposition.PROHIBITED: "a prohibit route rejects it",
        Disposition.NEIGHBOR_FAILED: "no device answers ARP for the next hop",
        Disposition.FORWARDING_DISABLED: "IP forwarding is off there, so it will not route packets for others",
        Disposition.RP_FILTER: "reverse-path filtering (rp_filter) drops it because the way back to the "
                               "sender does not pass the check",
        Disposition.MTU_EXCEEDED: "it is too big for the next link and may not be fragmented (DF)",
        Disposition.NO_FDB: "the bridge or tunnel has no forwarding entry for its destination",
        Disposition.NOT_FOR_THIS_HOST: "it arrives at a host whose MAC address it does not carry "
                                       "(a wrong forwarding entry sent it there)",
        Disposition.NO_TUNNEL_ENDPOINT: "no tunnel device there takes the encapsulated packet",
        Disposition.LOOP: "the routes send it in a circle",
        Disposition.TTL_EXCEEDED: "its TTL runs out",
        Disposition.DEVICE_DOWN: "a device on the path is down",
        Disposition.UNSIMULATED: "what happens there is not simulated",
        Disposition.FILTERED: "a packet filter drops or rejects it",
    }
    return f"The packet from {s} to {t} dies at {where}: {texts[d]} ({why}){branches}."


@dataclass(frozen=True, slots=True)
class TraceReport:
    """A trace asked for by name (``netblame trace SRC DST``): the branches, the sentence, both ends' labels."""

    result: TraceResult
    explanation: str
    src_label: str
    dst_label: str


def missing_pod_node(dp: Dataplane, name: str) -> str | None:
    """The node of a pod name (``n2-p1``) that is not in the snapshot because its node has no pod range."""
    node_name, sep, rest = name.rpartition("-p")
    if not sep or small_int(rest) is None or name in dp.by_pod:
        return None
    node = next((n for n in dp.snapshot.nodes if n.name == node_name and n.role == "node"), None)
    return node.name if node is not None and not node.pod_cidrs else None


def trace_between(dp: Dataplane, src: str, dst: str, *, proto: str = "icmp", dport: int | None = None,
                  size: int = 84, df: bool = True, pod_ranges: PodRanges | None = None,
                  mark: int = 0, reply: bool = False) -> TraceReport:
    """Resolve SRC and DST as a user writes them (pod, ``namespace:device``, namespace or node, address), trace
    the packet and explain the outcome; InputError when an end does not resolve. With ``reply``, every delivered
    branch's reply is traced back to the client (:mod:`netblame.dataplane.reply`)."""
    known = pod_ranges
    source = resolve(dp, src, "source")
    missing = missing_pod_node(dp, dst)
    if missing is not None:
        flow = Flow(start=source.namespace or "", dst=dst, proto=proto, dport=dport, size=size, df=df)
        result = TraceResult(flow, (Trace(flow, Disposition.NO_ROUTE, ()),))
        return TraceReport(result, missing_pod(dp, dst, missing, known), source.label, f"{dst} (no such pod)")
    target = resolve(dp, dst, "destination")
    if target.address is None:
        raise InputError(f"destination {dst!r} ({target.label}) has no address to send to")
    source = same_family(dp, source, target)
    assert source.namespace is not None
    flow = Flow(start=source.namespace, start_dev=source.dev, src=source.address if source.by_address else None,
                dst=target.address, proto=proto, dport=dport, size=size, df=df, mark=mark)
    tracer = Tracer(dp)
    result = tracer.trace(flow)
    if reply:
        result = with_replies(tracer, result)
    words = sentence(dp, result, source, target, known) + reply_sentence(result, target)
    return TraceReport(result, words, source.label, target.label)


def reply_sentence(result: TraceResult, target: Endpoint) -> str:
    """What happens to the replies, when they were traced: where the first one that fails dies, and why."""
    replies = [(n, t.reply) for n, t in enumerate(result.traces, 1) if t.reply is not None]
    if not replies:
        return ""
    many = len(result.traces) > 1
    for n, back in replies:
        bad = back.worst
        if bad.disposition.delivered:
            continue
        hop = bad.last
        step = _last_drop(bad)
        branch = f" of branch {n}" if many else ""
        why = f": {step.detail}" if step else ""
        return (f" But the reply{branch} from {back.flow.src} does not come back as the answer: "
                f"{bad.disposition.value} at {hop.label if hop else 'its start'}{why}.")
    via = " -> ".join(h.label for h in replies[0][1].worst.hops)
    every = "every reply comes" if len(replies) > 1 else "the reply comes"
    return f" {every[0].upper()}{every[1:]} back from {target.label} as the client expects (first: {via})."
