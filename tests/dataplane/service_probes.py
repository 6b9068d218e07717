"""The lab's Service against the kernel, both ways: NodePort from the outside host, and whole TCP connections.

``outside_probes`` are UDP probes from the outside host on the LAN (not a node) to every node's NodePort, judged
like every other probe (verdict, device path, conntrack's translation). ``connection_probes`` open real TCP
connections from every pod, every node (from its own address) and the outside host to the ClusterIP and to every
node's NodePort, with a listener on every endpoint. The model predicts each branch and its reply; conntrack's
view in the translating namespaces says which endpoint the kernel took, and that branch must agree: the connection
completes exactly when the model's forward packet is delivered and its reply comes back as the answer the client
waits for, and then conntrack's reply tuple is the one the model's reply starts with.
"""

from __future__ import annotations

from tests.dataplane.connect import listeners, tcp_connect
from tests.dataplane.harness import SPORT_BASE, TALLY, Outcome, Probe, nat_agrees
from tests.dataplane.kernel import conntrack_replies

from netblame import lab
from netblame.dataplane import Dataplane, Disposition, Flow, Trace, Tracer, TraceResult
from netblame.dataplane.reply import with_replies
from netblame.lab import firewall
from netblame.model.snapshot import Snapshot

SYN_SIZE = 60  # IPv4 + TCP headers with the options Linux sends in a SYN


def outside_probes(state: lab.LabState) -> list[Probe]:
    """UDP from the outside host to every node's NodePort."""
    svc = state.service
    if svc is None or svc.outside_namespace is None:
        return []
    return [Probe(svc.outside_namespace, "outside host", n.uplink_ip, f"NodePort on {n.name}", 120, True,
                  firewall.NODE_PORT, sport=SPORT_BASE + 600 + i) for i, n in enumerate(state.nodes)]


def connection_probes(state: lab.LabState, base: int) -> list[Probe]:
    """TCP from every pod, node (bound to its address) and the outside host to the ClusterIP and every NodePort;
    source ports from ``base`` (unique per lab state, so conntrack's entries never mix)."""
    svc = state.service
    assert svc is not None
    sources = [(p.namespace, p.name, None) for p in state.pods if p.ip]
    sources += [(n.namespace, n.name, n.uplink_ip) for n in state.nodes]
    if svc.outside_namespace is not None:
        sources.append((svc.outside_namespace, "outside host", svc.outside_ip))
    targets = [(svc.cluster_ip, "ClusterIP", svc.port)] + [(n.uplink_ip, f"NodePort on {n.name}", svc.node_port)
                                                          for n in state.nodes]
    out = []
    for ns, label, addr in sources:
        for dst, dst_label, port in targets:
            out.append(Probe(ns, label, dst, dst_label, SYN_SIZE, True, port, bind_addr=addr, sport=base + len(out)))
    return out


def hairpin_probes(state: lab.LabState, base: int, tries: int = 12) -> list[Probe]:
    """From n2's pods that are not endpoints to the ClusterIP, ``tries`` times each: the kernel picks an endpoint at
    random, and at 1/2 per endpoint the chance that it never picks the one on the client's own bridge is 2^-12."""
    svc = state.service
    assert svc is not None
    pods = [p for p in state.pods_of("n2") if p.ip and p.ip not in svc.endpoints]
    return [Probe(p.namespace, p.name, svc.cluster_ip, "ClusterIP", SYN_SIZE, True, svc.port, sport=base + i)
            for i, p in enumerate(pods * tries)]


def _model_ok(trace: Trace) -> bool:
    return trace.disposition.delivered and trace.reply is not None and trace.reply.disposition.delivered


def _reply_tuple_agrees(trace: Trace, names: dict[str, str], replies: dict[str, set[tuple[str, str]]]) -> bool:
    """conntrack's reply tuple, in the last namespace that translated the connection, is where the model's reply
    starts: from the endpoint to the (translated) client."""
    nat = [e for e in trace.conntrack if e.dnat or e.snat]
    if not nat or trace.reply is None:
        return True
    want = (trace.reply.flow.src, trace.reply.flow.dst)
    return want in replies[names[nat[-1].namespace]]


def _describe(trace: Trace) -> str:
    back = trace.reply
    where = trace.last.label if trace.last else "?"
    if back is None:
        return f"{trace.disposition.value} at {where} (no reply)"
    hops = " -> ".join(h.label for h in back.worst.hops)
    return f"{trace.disposition.value} at {where}; reply {back.flow.src} -> {back.flow.dst}: " \
           f"{back.disposition.value} via {hops}"


def judge_connection(result: TraceResult, err: str | None, names: dict[str, str],
                     replies: dict[str, set[tuple[str, str]]]) -> tuple[bool, str, str]:
    """Some branch whose translation conntrack shows must agree on whether the connection completes."""
    said = []
    for t in result.traces:
        said.append(_describe(t))
        if not nat_agrees(t, names, lambda ns: replies[ns])[0]:
            continue
        if _model_ok(t) != (err is None):
            continue
        if err is None and not _reply_tuple_agrees(t, names, replies):
            continue
        return True, said[-1], "connected" if err is None else err
    seen = {ns: sorted(r) for ns, r in replies.items() if r}
    return False, " | ".join(said), f"{'connected' if err is None else err}; conntrack replies: {seen}"


def run_connections(snap: Snapshot, state: lab.LabState, probes: list[Probe]) -> list[Outcome]:
    """Predict (with replies) and connect for real, with a listener on every endpoint's target port."""
    svc = state.service
    assert svc is not None
    names = {ns.id: ns.name or ns.id for node in snap.nodes for ns in node.namespaces}
    by_name = {v: k for k, v in names.items()}
    endpoint_ns = [p.namespace for p in state.pods if p.ip in svc.endpoints]
    tracer = Tracer(Dataplane(snap))
    outcomes = []
    with listeners(endpoint_ns, svc.target_port) as held:
        for p in probes:
            flow = Flow(start=by_name[p.src_ns], dst=p.dst, proto="tcp", dport=p.port, sport=p.sport, size=p.size,
                        src=p.bind_addr)
            result = with_replies(tracer, tracer.trace(flow))
            err = tcp_connect(p.src_ns, p.dst, p.port, sport=p.sport, bind_addr=p.bind_addr)
            held.drain()
            if any(t.disposition is Disposition.UNSIMULATED or (t.reply is not None and t.reply.disposition is
                                                                Disposition.UNSIMULATED) for t in result.traces):
                TALLY.undecided += 1
                continue
            replies = {ns: conntrack_replies(ns, "tcp", p.sport) for ns in names.values()}
            ok, model, kernel = judge_connection(result, err, names, replies)
            outcomes.append(Outcome(p, ok, model, kernel))
            TALLY.total += 1
            TALLY.agreed += ok
    return outcomes

