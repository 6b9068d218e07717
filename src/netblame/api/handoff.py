"""``netblame handoff`` as a library call: read a plan, cluster files and/or a node snapshot, and compute
what the physical network must provide (:mod:`netblame.underlay.handoff`), checked against the snapshot's
nodes when one is given. ``report`` includes the result through :func:`handoff`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import orjson

from netblame.api.snapshot import load_snapshot
from netblame.errors import InputError
from netblame.model.cluster import ClusterNetwork
from netblame.model.distributions import DATA_PATH_CNI, DEFAULT_CNI
from netblame.model.merge import merge_cluster
from netblame.model.snapshot import Snapshot
from netblame.sources import builtin_sources, load_paths
from netblame.underlay.firewall import evaluators
from netblame.underlay.handoff import Handoff, HandoffInput, NodeRoute, make_handoff, with_checks
from netblame.underlay.node_facts import NodeFacts, node_facts

# What each CNI does when its configuration does not say (FACTS.md B.4: Cilium tunnel/vxlan; C: the
# Calico manifest's pool is IPIP Always; D: Flannel's manifest uses the vxlan backend; Antrea's
# antrea-agent.conf tunnelType defaults to geneve, antrea-io/antrea build/charts/antrea/conf/antrea-agent.conf).
DEFAULT_ROUTING = {"cilium": "vxlan", "calico": "ipip", "flannel": "vxlan", "kube-router": "none", "antrea": "geneve"}


@dataclass(frozen=True, slots=True)
class HandoffOptions:
    """What the command line adds or overrides."""

    distribution: str | None = None
    cni: str | None = None
    routing: str | None = None
    encryption: str | None = None
    underlay_mtu: int | None = None
    asn: int | None = None
    router_ip: str | None = None
    search_domains: tuple[str, ...] = ()


def from_plan(path: str) -> HandoffInput:
    """The inputs a ``netblame plan -o json`` file gives (no nodes: a plan is made before them)."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise InputError(f"--plan: cannot read {path}: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise InputError(f"--plan: {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") != "netblame/plan/v1":
        raise InputError(f"--plan: {path}: expected the output of netblame plan -o json (schema netblame/plan/v1)")
    req = data.get("request") or {}
    cni = req.get("cni")
    return HandoffInput(distribution=str(req.get("distribution") or "kubeadm"), cni=cni,
                        routing=DEFAULT_ROUTING.get(cni or "", "vxlan"),
                        pod_cidrs=tuple(str(f["pod_cidr"]) for f in data.get("families", [])),
                        dns_domain=str(data.get("dns_domain") or "cluster.local"), sources=(path,))


def from_cluster(cluster: ClusterNetwork) -> HandoffInput:
    """The inputs cluster files give: the CNI and its routing, node addresses and pod ranges."""
    cni = cluster.cnis[0] if cluster.cnis else None
    routing = (cni.routing.value if cni and cni.routing else None) or DEFAULT_ROUTING.get(cni.name if cni else "",
                                                                                          "vxlan")
    nodes = []
    for n in cluster.nodes:
        v4 = [str(a.value) for a in n.addresses if a.value.version == 4]
        if v4:
            nodes.append(NodeRoute(name=n.name, address=v4[0], pod_cidrs=tuple(str(c.network) for c in n.pod_cidrs)))
    return HandoffInput(cni=cni.name if cni else None, routing=routing.lower(),
                        pod_cidrs=tuple(str(c.network) for c in cluster.pod_cidrs), nodes=tuple(nodes),
                        dns_domain=cluster.dns_domain.value if cluster.dns_domain else "cluster.local")


def _from_snapshot(snapshot: Snapshot) -> tuple[list[NodeFacts], list[NodeRoute], tuple[str, str] | None]:
    """Per node: what the hand-off checks; the nodes' addresses and ranges; the CNI and routing its devices show."""
    facts = node_facts(snapshot)
    routes = [NodeRoute(name=f.name, address=f.address, pod_cidrs=f.pod_cidrs) for f in facts if f.address]
    return facts, routes, next((f.cni for f in facts if f.cni), None)


def _apply(inp: HandoffInput, opts: HandoffOptions) -> HandoffInput:
    changes: dict[str, object] = {}
    for name in ("distribution", "cni", "routing", "encryption", "underlay_mtu", "asn", "router_ip"):
        value = getattr(opts, name)
        if value is not None:
            changes[name] = value
    if opts.cni is not None and opts.routing is None and opts.cni != inp.cni:
        changes["routing"] = DEFAULT_ROUTING.get(opts.cni, "vxlan")
    if opts.search_domains:
        changes["search_domains"] = opts.search_domains
    return replace(inp, **changes)  # type: ignore[arg-type]


def handoff(paths: Sequence[str] = (), *, plan_file: str | None = None, snapshot_file: str | None = None,
            options: HandoffOptions | None = None) -> Handoff:
    """The hand-off for a plan file, cluster files and/or a snapshot; with a snapshot, each node is checked."""
    cluster = None
    if paths:
        loaded = load_paths(paths, builtin_sources())
        if loaded.errors:
            raise InputError(str(loaded.errors[0]))
        clusters = [f for f in loaded.fragments if isinstance(f, ClusterNetwork)]
        if not clusters and not plan_file and not snapshot_file:
            raise InputError(f"{', '.join(paths)}: no cluster configuration recognised (kubeadm, CNI configuration, "
                             "kubectl get nodes); give --plan or --snapshot, or see docs/sources.md")
        cluster = merge_cluster(clusters) if clusters else None
    return handoff_of(cluster, load_snapshot(snapshot_file) if snapshot_file else None,
                      plan=from_plan(plan_file) if plan_file else None, options=options,
                      cluster_sources=paths, snapshot_source=snapshot_file or "")


def handoff_of(cluster: ClusterNetwork | None = None, snapshot: Snapshot | None = None, *,
               plan: HandoffInput | None = None, options: HandoffOptions | None = None,
               cluster_sources: Sequence[str] = (), snapshot_source: str = "the snapshot") -> Handoff:
    """The hand-off for a cluster already read (and merged), a snapshot already loaded and/or a plan's
    inputs (:func:`from_plan`): what ``report`` includes for its own inputs without reading them again."""
    opts = options or HandoffOptions()
    inp = plan or HandoffInput()
    if cluster is not None:
        found = from_cluster(cluster)
        inp = replace(found, distribution=inp.distribution, cni=found.cni or inp.cni,
                      routing=found.routing if found.cni else inp.routing,
                      pod_cidrs=found.pod_cidrs or inp.pod_cidrs, sources=(*inp.sources, *cluster_sources))
    facts: list[NodeFacts] = []
    if snapshot is not None:
        facts, routes, seen = _from_snapshot(snapshot)
        if not inp.nodes and routes:
            inp = replace(inp, nodes=tuple(routes))
        if seen is not None and inp.cni is None:
            inp = replace(inp, cni=seen[0], routing=seen[1])
        elif seen is None and inp.cni is None and routes:
            inp = replace(inp, routing="host-gw")
        measured = [f.uplink_mtu for f in facts if f.uplink_mtu is not None]
        if measured:  # the smallest uplink MTU is what the underlay carries end to end
            inp = replace(inp, underlay_mtu=min(measured))
        inp = replace(inp, sources=(*inp.sources, snapshot_source or "the snapshot"))
    inp = _apply(inp, opts)
    if inp.cni is None and inp.distribution in DEFAULT_CNI and opts.routing is None:
        bundled, routing = DEFAULT_CNI[inp.distribution]
        cni = DATA_PATH_CNI.get(bundled, bundled)
        inp = replace(inp, cni=cni, routing=routing)
    result = make_handoff(inp)
    return with_checks(result, facts, evaluators(snapshot)) if snapshot is not None else result
