"""Place findings and traces on the graph: a finding on the device (else namespace, else node) its
location names; a trace's hops on the devices it crossed, with the links between consecutive ones."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from netblame.dataplane.result import Action, StepKind
from netblame.dataplane.verdict import TraceReport
from netblame.findings import Finding
from netblame.model.snapshot import Snapshot
from netblame.topology.model import Edge, Mark, PathHop, TracePath, Vertex, dev_id, node_id, ns_id


def _location_parts(text: str) -> dict[str, str]:
    """``node n2 / netns nb-x-n2 / dev vxlan0`` -> {"node": "n2", "netns": "nb-x-n2", "dev": "vxlan0"}."""
    out: dict[str, str] = {}
    for part in text.split(" / "):
        key, _, value = part.partition(" ")
        if key in ("node", "netns", "dev") and value:
            out[key] = value
    return out


def place_findings(snapshot: Snapshot, findings: Iterable[Finding], ids: set[str]) -> list[Mark]:
    """One mark per finding; ``vertex`` is '' when the finding concerns no element of the graph (a
    cluster configuration file, say)."""
    ns_by_name = {(node.name, ns.name or ns.id): ns.id for node in snapshot.nodes for ns in node.namespaces}
    marks = []
    for f in findings:
        parts = _location_parts(f.location.object or "")
        vertex = ""
        if "node" in parts:
            candidates = [node_id(parts["node"])]
            ns = ns_by_name.get((parts["node"], parts.get("netns", "")))
            if ns is not None:
                candidates[:0] = [ns_id(ns)]
                if "dev" in parts:
                    candidates[:0] = [dev_id(ns, parts["dev"])]
            vertex = next((c for c in candidates if c in ids), "")
        marks.append(Mark(rule=f.rule, severity=f.severity.label, title=f.title, message=f.message, fix=f.fix,
                          vertex=vertex, where=str(f.location)))
    return marks


def place_trace(name: str, answer: TraceReport, ids: set[str], edges: Iterable[Edge]) -> TracePath:
    """The worst branch of a traced packet, as hops on the graph's device vertices, with the NAT each hop
    made and, on the hop where it ended undelivered, why (a filter's rule, an unsimulated match)."""
    trace = answer.result.worst
    hops = []
    for i, hop in enumerate(trace.hops):
        vertices = tuple(v for v in (dev_id(hop.namespace, d) for d in hop.devices) if v in ids)
        last = i == len(trace.hops) - 1
        dropped = last and not trace.disposition.delivered and any(s.action is Action.DROPPED for s in hop.steps)
        ending = [s for s in hop.steps if s.action in (Action.DROPPED, Action.WARNED)] if last else []
        stop = ending[-1].detail if ending and not trace.disposition.delivered else ""
        hops.append(PathHop(namespace=ns_id(hop.namespace), label=hop.label, node=hop.node, vertices=vertices,
                            steps=tuple(f"{s.kind.value}: {s.detail}" for s in hop.steps), dropped=dropped,
                            nat=tuple(s.detail for s in hop.steps if s.kind is StepKind.NAT), stop=stop))
    pairs = {frozenset((e.source, e.target)): e.id for e in edges}
    path = [v for h in hops for v in h.vertices]
    crossed = []
    for a, b in pairwise(path):
        eid = pairs.get(frozenset((a, b)))
        if eid is not None and eid not in crossed:
            crossed.append(eid)
    return TracePath(name=name, src=answer.src_label, dst=answer.dst_label,
                     disposition=trace.disposition.value, delivered=trace.disposition.delivered,
                     explanation=answer.explanation, hops=tuple(hops), edges=tuple(crossed))


__all__ = ["Vertex", "place_findings", "place_trace"]
