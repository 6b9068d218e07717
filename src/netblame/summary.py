"""What ``netblame report`` shows, as data: a one-line verdict with its evidence, the findings grouped
by who acts on them, the map, the traces asked for, the address plan, the DNS chain and the hand-off
(what the physical network must provide, :func:`netblame.api.handoff.handoff_of`).

Inputs are those of ``check`` (files, a snapshot, a node tree for DNS); this module calls the same
library functions and only adds the verdict and the grouping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from netblame.api.check import ClusterFlags, assemble, check
from netblame.api.handoff import handoff_of
from netblame.checks import AUDIENCES, Audience, Registry, default_registry
from netblame.dataplane.index import Dataplane
from netblame.dataplane.verdict import TraceReport, trace_between
from netblame.findings import Finding, Report, Severity
from netblame.model.cluster import ClusterNetwork
from netblame.model.dns import DnsSetup
from netblame.model.snapshot import Snapshot
from netblame.sources import builtin_sources, load_paths
from netblame.topology import Topology, TracePath, topology
from netblame.underlay.handoff import Handoff


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whose side the evidence points at (``network``, ``node``, ``cluster config``, or ``none``), in one
    sentence, with the evidence it rests on."""

    side: str
    sentence: str
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the report page shows. ``handoff`` is what the physical network must provide, when the
    inputs describe a cluster or a snapshot holds its nodes."""

    title: str
    verdict: Verdict
    report: Report
    by_audience: tuple[tuple[Audience, tuple[Finding, ...]], ...]
    topology: Topology | None
    plan: tuple[tuple[str, str, str], ...]
    dns: dict[str, Any] | None
    handoff: Handoff | None = None

    @property
    def traces(self) -> tuple[TracePath, ...]:
        """The traces asked for, as drawn on the map."""
        return self.topology.traces if self.topology is not None else ()


def group_by_audience(findings: Sequence[Finding], registry: Registry) -> tuple[tuple[Audience, tuple[Finding, ...]],
                                                                                ...]:
    """Findings per audience (network, node, cluster config), worst first inside each."""
    out: dict[Audience, list[Finding]] = {a: [] for a in AUDIENCES}
    for f in findings:
        rule = registry.get(f.rule)
        out[rule.meta.who if rule is not None else "cluster config"].append(f)
    return tuple((a, tuple(sorted(fs, key=lambda f: -f.severity))) for a, fs in out.items())


def _trace_side(path: TracePath, topo: Topology) -> str:
    last = path.hops[-1] if path.hops else None
    box = topo.vertex(f"node:{last.node}") if last is not None else None
    if path.disposition == "EXITS_NETWORK" or (box is not None and box.kind == "fabric"):
        return "network"
    return "node"


def verdict(by_audience: Sequence[tuple[Audience, Sequence[Finding]]], traces: Sequence[TracePath],
            topo: Topology | None) -> Verdict:
    """The side the evidence points at: a failed trace's last hop and the error findings, weighed
    together (an error finding outweighs a warning; a failed trace names where the packet died)."""
    score: dict[str, int] = dict.fromkeys(AUDIENCES, 0)
    evidence: list[tuple[str, str]] = []
    for who, found in by_audience:
        for f in found:
            score[who] += {Severity.ERROR: 10, Severity.WARNING: 3, Severity.INFO: 0}[f.severity]
            if f.severity >= Severity.WARNING:
                evidence.append((who, f"{f.rule} ({f.severity.label}): {f.message}"))
    for t in traces:
        if t.disposition == "UNSIMULATED":  # the model could not decide: evidence of nothing, said as such
            evidence.append(("node", f"trace {t.src} -> {t.dst} undecided: {t.explanation}"))
            continue
        if not t.delivered and topo is not None:
            side = _trace_side(t, topo)
            score[side] += 10
            evidence.append((side, f"trace {t.src} -> {t.dst}: {t.explanation}"))
    worst = max(AUDIENCES, key=lambda a: score[a])
    if score[worst] == 0:
        ok = sum(1 for t in traces if t.delivered)
        sentence = ("Nothing points at the network, the nodes or the cluster config: no error or warning"
                    + (f", and {ok} of {len(traces)} traces delivered." if traces else "."))
        return Verdict("none", sentence, tuple(e for _, e in evidence))
    words = {"network": "the network (the physical side: switches, router, DHCP/DNS)",
             "node": "the node (its devices, routes, sysctls or resolver)",
             "cluster config": "the cluster config (address ranges, CNI and kubelet settings)"}
    mine = [e for side, e in evidence if side == worst]
    sentence = f"It is {words[worst]}: {mine[0]}" + (f" (and {len(mine) - 1} more)" if len(mine) > 1 else "")
    return Verdict(worst, sentence, tuple(mine + [e for side, e in evidence if side != worst]))


def plan_rows(cluster: ClusterNetwork | None) -> tuple[tuple[str, str, str], ...]:
    """The address plan as (what, value, where it came from) rows."""
    if cluster is None:
        return ()
    rows: list[tuple[str, str, str]] = []
    rows.extend(("pod range", c.text, str(c.origin)) for c in cluster.pod_cidrs)
    rows.extend(("service range", c.text, str(c.origin)) for c in cluster.service_cidrs)
    for mask in (cluster.node_mask_v4, cluster.node_mask_v6):
        if mask is not None:
            rows.append(("per-node mask", f"/{mask.value}", str(mask.origin)))
    if cluster.max_pods is not None:
        rows.append(("max pods per node", str(cluster.max_pods.value), str(cluster.max_pods.origin)))
    rows.extend(("cluster DNS", str(d.value), str(d.origin)) for d in cluster.cluster_dns)
    for cni in cluster.cnis:
        rows.extend((f"{cni.name} pool", p.text, str(p.origin)) for p in cni.pools)
    rows.extend(("network to avoid", c.text, str(c.origin)) for c in cluster.lan)
    for node in cluster.nodes:
        addrs = ", ".join(str(a.value) for a in node.addresses)
        ranges = ", ".join(c.text for c in node.pod_cidrs) or "(none)"
        rows.append((f"node {node.name}", f"{addrs}; pod range {ranges}", str(node.origin)))
    return tuple(rows)


def _checked(paths: Sequence[str], extra: Sequence[object], flags: ClusterFlags | None,
             registry: Registry) -> Report:
    # an empty registry means "draw only": no rule runs, so the inputs need not even be read
    return check(paths, flags=flags, extra=extra, registry=registry) if len(registry) else Report()


def _traced(snapshot: Snapshot, traces: Sequence[tuple[str, str]]) -> list[tuple[str, TraceReport]]:
    if not traces:
        return []
    dp = Dataplane(snapshot)
    return [(f"t{i + 1}", trace_between(dp, src, dst)) for i, (src, dst) in enumerate(traces)]


def draw(paths: Sequence[str] = (), *, snapshot: Snapshot, traces: Sequence[tuple[str, str]] = (),
         flags: ClusterFlags | None = None, title: str = "", registry: Registry | None = None) -> Topology:
    """The map alone (what ``netblame map`` shows): the graph of ``snapshot`` with the findings of the
    snapshot and of ``paths`` and each ``(src, dst)`` trace placed on it; none of the report's other
    parts (verdict, address plan, DNS chain, hand-off) is computed. Raises InputError like summarize."""
    registry = default_registry() if registry is None else registry
    report = _checked(paths, [snapshot], flags, registry)
    return topology(snapshot, report.findings, _traced(snapshot, traces), title=title)


def draw_tree(paths: Sequence[str] = (), *, snapshot: Snapshot, traces: Sequence[tuple[str, str]] = (),
              flags: ClusterFlags | None = None, registry: Registry | None = None, node: str | None = None) -> str:
    """The map as the terminal tree (the lines :func:`netblame.render.map_text.render_map_text` draws
    from :func:`draw`'s graph), written straight from ``snapshot``: the graph is not built. The traces
    are still followed, so an end that does not resolve raises InputError as in :func:`draw`."""
    from netblame.topology.tree import tree_text

    registry = default_registry() if registry is None else registry
    report = _checked(paths, [snapshot], flags, registry)
    _traced(snapshot, traces)
    return tree_text(snapshot, report.findings, node)


def summarize(paths: Sequence[str] = (), *, snapshot: Snapshot | None = None, dns: DnsSetup | None = None,
              traces: Sequence[tuple[str, str]] = (), flags: ClusterFlags | None = None, title: str = "",
              registry: Registry | None = None) -> Summary:
    """Check ``paths`` (and the snapshot and DNS setup given), trace each ``(src, dst)`` through the
    snapshot, and put it all together. Raises InputError when a trace's end does not resolve."""
    registry = default_registry() if registry is None else registry
    extra: list[object] = [x for x in (snapshot, dns) if x is not None]
    report = _checked(paths, extra, flags, registry)
    subjects = assemble([*load_paths(paths, builtin_sources()).fragments, *extra])
    cluster = next((s for s in subjects if isinstance(s, ClusterNetwork)), None)
    setup = next((s for s in subjects if isinstance(s, DnsSetup)), None)
    topo = None
    if snapshot is not None:
        topo = topology(snapshot, report.findings, _traced(snapshot, traces), title=title)
    groups = group_by_audience(report.findings, registry)
    dns_view = None
    if setup is not None:
        from netblame.dns.view import chain_view

        dns_view = chain_view(setup)
    return Summary(title=title or "netblame report", verdict=verdict(groups, topo.traces if topo else (), topo),
                   report=report, by_audience=groups, topology=topo, plan=plan_rows(cluster), dns=dns_view,
                   handoff=handoff_of(cluster, snapshot, cluster_sources=paths)
                   if cluster is not None or snapshot is not None else None)
