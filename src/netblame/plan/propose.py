"""``netblame plan``: the pod range, node mask, service range and cluster DNS address for a cluster that
is still to be built, chosen with the same arithmetic the NB1xx rules check (docs/plan.md).

Per IP family: the node mask is kube-controller-manager's default (/24, /64) unless maxPods needs a
larger block; the service range is the distribution's default when it is clear of every network to
avoid, else a free private /16 (/112); the pod range holds a node block for every node plus growth,
with the same headroom the rules' fixes give (at least 256 nodes, never more than 16 bits between
range and mask), and takes the distribution's or the CNI's default where that is free. Everything
is pure arithmetic: no I/O.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Literal, cast

from netblame._record import Record, record
from netblame.errors import InputError
from netblame.ipmath import IPNetwork, at_prefix, bits, node_blocks, overlaps, prefix_for_blocks, suggest_range
from netblame.model.cidr import Family, parse_cidr
from netblame.model.distributions import DEFAULT_PODS, DEFAULT_SERVICES
from netblame.model.origin import flag
from netblame.plan.address import (
    DNS_INDEX,
    MAX_MASK_DIFF,
    MIN_SERVICE_HOST_BITS,
    mask_for,
    suggested_pod_prefix,
    usable,
)

Stack = Literal["ipv4", "ipv6", "dual"]
DISTRIBUTIONS: tuple[str, ...] = ("kubeadm", "k3s", "rke2", "k0s", "microk8s", "talos")
# kube-router and Antrea take each node's spec.podCIDR, which kube-controller-manager allocates (docs/plan.md).
CNIS: tuple[str, ...] = ("cilium", "calico", "flannel", "kube-router", "antrea")
MAX_NODES = 5000  # Kubernetes' large-cluster limit (FACTS.md A.9)
DEFAULT_MAX_PODS = 110  # kubelet maxPods default (FACTS.md A.8)
DEFAULT_NODE_MASK: dict[Family, int] = {4: 24, 6: 64}  # kube-controller-manager (FACTS.md A.3)
CALICO_BLOCK: dict[Family, int] = {4: 26, 6: 122}  # Calico IPPool blockSize defaults (FACTS.md C)
CILIUM_V6_MASK = 120  # Cilium Helm ipam.operator.clusterPoolIPv6MaskSize default (FACTS.md B.1)
SERVICE_PREFIX: dict[Family, int] = {4: 16, 6: 112}  # size of a service range that has to move


def _net(text: str) -> IPNetwork:
    return ipaddress.ip_network(text)


# Each distribution's own defaults (docs/plan.md lists the pages): pod range, service range; the same
# table the distribution readers take their defaults from (model/distributions.py). k3s's IPv6 examples in
# its docs are not ULA: no IPv6 default is used.
DIST_PODS: dict[str, dict[Family, IPNetwork]] = {
    d: {cast(Family, f): _net(t) for f, t in DEFAULT_PODS[d].items()} for d in DISTRIBUTIONS}
DIST_SERVICES: dict[str, dict[Family, IPNetwork]] = {
    d: {cast(Family, f): _net(t) for f, t in DEFAULT_SERVICES[d].items()} for d in DISTRIBUTIONS}
# The CNIs' own default pod pools (FACTS.md B.1, C, D). Only Flannel's is preferred when free: Cilium's
# 10.0.0.0/8 is where VPNs live (its docs warn about overlaps) and Calico's 192.168.0.0/16 where home LANs do.
CNI_PODS: dict[str, dict[Family, IPNetwork]] = {
    "cilium": {4: _net("10.0.0.0/8"), 6: _net("fd00::/104")},
    "calico": {4: _net("192.168.0.0/16")},
    "flannel": {4: _net("10.244.0.0/16")},
}
# Docker's default bridge (docker0), kept clear unless the user lists it with --allow.
DOCKER_BRIDGE = _net("172.17.0.0/16")


@record
class PlanRequest(Record):
    """What ``netblame plan`` was asked for."""

    nodes: int
    growth: int = 0
    max_pods: int = DEFAULT_MAX_PODS
    lan: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    cni: str | None = None
    distribution: str = "kubeadm"
    stack: Stack = "ipv4"
    avoid_docker: bool = True


@record
class Avoided(Record):
    """A network every chosen range keeps clear of, and why."""

    network: IPNetwork
    why: str


@record
class FamilyPlan(Record):
    """The chosen ranges of one IP family and what they hold."""

    family: Family
    pod_cidr: IPNetwork
    node_mask: int
    service_cidr: IPNetwork
    cni_block: int | None  # the CNI's own per-node block (Cilium's mask size, Calico's blockSize)
    node_capacity: int  # node blocks in the pod range
    pods_per_node: int  # min(maxPods, usable addresses of a node block)
    service_addresses: int  # addresses of the service range
    why_pod: str
    why_service: str


@record
class Rejected(Record):
    """A choice that looks obvious and fails, and why."""

    choice: str
    reason: str


@record
class ClusterPlan(Record):
    """The whole proposal."""

    request: PlanRequest
    families: tuple[FamilyPlan, ...]
    dns_ip: str
    dns_domain: str
    avoided: tuple[Avoided, ...]
    rejected: tuple[Rejected, ...]

    def family(self, family: Family) -> FamilyPlan | None:
        return next((f for f in self.families if f.family == family), None)

    @property
    def primary(self) -> FamilyPlan:
        return self.families[0]


FAMILIES_OF: dict[str, tuple[Family, ...]] = {"ipv4": (4,), "ipv6": (6,), "dual": (4, 6)}


def _families(stack: Stack) -> tuple[Family, ...]:
    return FAMILIES_OF[stack]


def _validate(req: PlanRequest) -> None:
    if not 1 <= req.nodes <= MAX_NODES:
        raise InputError(f"--nodes: expected 1 to {MAX_NODES}, got {req.nodes}")
    if not 0 <= req.growth <= MAX_NODES:
        raise InputError(f"--growth: expected 0 to {MAX_NODES} further nodes, got {req.growth}")
    if not 1 <= req.max_pods <= 10000:
        raise InputError(f"--max-pods: expected 1 to 10000 pods per node, got {req.max_pods}")
    if req.distribution not in DISTRIBUTIONS:
        raise InputError(f"--distribution: expected one of {', '.join(DISTRIBUTIONS)}, got {req.distribution}")
    if req.cni is not None and req.cni not in CNIS:
        raise InputError(f"--cni: expected one of {', '.join(CNIS)}, got {req.cni}")


def _avoided(req: PlanRequest) -> list[Avoided]:
    out = [Avoided(parse_cidr(t, flag("--lan"), what="a network range for --lan").network, "your LAN, --lan")
           for t in req.lan]
    out += [Avoided(parse_cidr(t, flag("--avoid"), what="a network range for --avoid").network, "listed with --avoid")
            for t in req.avoid]
    if req.avoid_docker:
        out.append(Avoided(DOCKER_BRIDGE, "Docker's default bridge docker0"))
    return out


def _node_mask(req: PlanRequest, family: Family) -> int:
    cni = "cilium" if req.cni == "cilium" else None
    mask = DEFAULT_NODE_MASK[family]
    if cni and family == 6:  # Cilium's IPv6 pools hand out /120s by default, not /64s (FACTS.md B.1)
        mask = CILIUM_V6_MASK
    if usable(family, mask, cni) >= req.max_pods:
        return mask
    better = mask_for(req.max_pods, family, cni)
    if better is None or better < (8 if family == 4 else 48):
        raise InputError(f"--max-pods: {req.max_pods} pods do not fit a sensible IPv{family} node block")
    return better


def _services(req: PlanRequest, family: Family, avoid: list[IPNetwork]) -> Iterator[tuple[IPNetwork, str]]:
    """Service ranges to try, best first: the distribution's default when it is free, then free private
    ranges from SERVICE_PREFIX down to 4,096 addresses (a smaller one leaves room for the pods)."""
    default = DIST_SERVICES[req.distribution].get(family)
    if default is not None and not any(overlaps(default, n) for n in avoid):
        yield default, f"{req.distribution}'s default"
    why = (f"{req.distribution}'s default {default} overlaps a network to avoid" if default is not None
           else f"{req.distribution} has no IPv{family} default")
    for prefix in range(SERVICE_PREFIX[family], bits(family) - MIN_SERVICE_HOST_BITS + 1):
        new = suggest_range(prefix, family, avoid)
        if new is not None:
            yield new, f"the first free private /{new.prefixlen} ({why})"


def _pods(req: PlanRequest, family: Family, mask: int, prefix: int,
          avoid: list[IPNetwork]) -> tuple[IPNetwork, str] | None:
    cni_default = CNI_PODS["flannel"].get(family) if req.cni == "flannel" else None
    defaults = [DIST_PODS[req.distribution].get(family), cni_default]
    for default in defaults:
        if default is None:
            continue
        own = at_prefix(default, prefix)
        if own.prefixlen >= default.prefixlen and not any(overlaps(own, n) for n in avoid):
            who = req.distribution if default == defaults[0] else req.cni
            shape = "" if own == default else f" (its first /{prefix})"
            return own, f"{who}'s default {default}{shape}: free, room for {node_blocks(own, mask)} nodes"
    new = suggest_range(prefix, family, avoid)
    if new is None:
        return None
    return new, f"the first free private /{prefix}: room for {node_blocks(new, mask)} nodes"


def _pod_prefixes(req: PlanRequest, family: Family, mask: int) -> list[int]:
    """Pod range sizes to try: with the rules' headroom (256 nodes), then just what the nodes need."""
    want = req.nodes + req.growth
    roomy = suggested_pod_prefix(mask, want)
    if roomy is None:
        raise InputError(f"--nodes/--growth: {want} nodes do not fit one IPv{family} pod range at the /{mask} "
                         "node mask (at most 2^16 node blocks)")
    tight = max(prefix_for_blocks(want, mask) or 0, mask - MAX_MASK_DIFF, 0)
    return list(dict.fromkeys((roomy, tight)))


def _family_plan(req: PlanRequest, family: Family, avoid: list[IPNetwork]) -> FamilyPlan:
    mask = _node_mask(req, family)
    prefixes = _pod_prefixes(req, family, mask)
    found: tuple[IPNetwork, str, tuple[IPNetwork, str]] | None = None
    for svc, why_svc in _services(req, family, avoid):
        for prefix in prefixes:
            pods = _pods(req, family, mask, prefix, [*avoid, svc])
            if pods is not None:
                found = (svc, why_svc, pods)
                break
        if found is not None:
            break
    if found is None:
        raise InputError(f"no free private IPv{family} ranges for the pods and the services clear of the networks "
                         "to avoid (--lan, --avoid)")
    svc, why_svc, (pod, why_pod) = found
    block = mask if req.cni == "cilium" else CALICO_BLOCK[family] if req.cni == "calico" else None
    reserved_for = "cilium" if req.cni == "cilium" else None
    per_node = min(req.max_pods, usable(family, mask, reserved_for))
    return FamilyPlan(family=family, pod_cidr=pod, node_mask=mask, service_cidr=svc, cni_block=block,
                      node_capacity=node_blocks(pod, mask), pods_per_node=per_node,
                      service_addresses=svc.num_addresses, why_pod=why_pod, why_service=why_svc)


def _rejected(req: PlanRequest, families: list[FamilyPlan], avoided: list[Avoided]) -> list[Rejected]:
    out: list[Rejected] = []
    first = families[0]
    small = at_prefix(first.pod_cidr, first.node_mask)
    want = req.nodes + req.growth
    if want > 1:
        out.append(Rejected(
            f"pod range {small}",
            f"a pod range as large as one node block: at the /{first.node_mask} node mask it holds "
            f"2^({first.node_mask}-{small.prefixlen}) = 1 node range, so 1 of {want} nodes gets pods and the "
            "others never become Ready (kube-controller-manager: \"CIDR allocation failed; there are no remaining "
            "CIDRs left to allocate in the accepted range\")"))
    defaults: list[tuple[str, IPNetwork]] = []
    for fam in families:
        if req.cni and (d := CNI_PODS.get(req.cni, {}).get(fam.family)) is not None:
            defaults.append((f"{req.cni}'s default pod pool", d))
        if (d := DIST_PODS[req.distribution].get(fam.family)) is not None:
            defaults.append((f"{req.distribution}'s default pod range", d))
        if (d := DIST_SERVICES[req.distribution].get(fam.family)) is not None:
            defaults.append((f"{req.distribution}'s default service range", d))
    for label, net in defaults:
        hit = next((a for a in avoided if overlaps(net, a.network)), None)
        if hit is not None:
            out.append(Rejected(f"{label} {net}", f"overlaps {hit.network} ({hit.why}): the nodes would route those "
                                                  "addresses into the cluster instead of to the network that has them"))
    return out


def make_plan(req: PlanRequest) -> ClusterPlan:
    """The proposal for ``req``, or :class:`InputError` naming the option that cannot be met."""
    _validate(req)
    avoided = _avoided(req)
    families: list[FamilyPlan] = []
    for family in _families(req.stack):
        avoid = [a.network for a in avoided if a.network.version == family]
        families.append(_family_plan(req, family, avoid))
    svc = families[0].service_cidr
    dns_ip = str(svc.network_address + DNS_INDEX)  # kubeadm: the 10th address (FACTS.md A.1)
    return ClusterPlan(request=req, families=tuple(families), dns_ip=dns_ip, dns_domain="cluster.local",
                       avoided=tuple(avoided), rejected=tuple(_rejected(req, families, avoided)))

