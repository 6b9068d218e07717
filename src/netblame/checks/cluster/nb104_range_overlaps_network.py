"""NB104: a pod or service range overlaps a node address, a ``--lan`` range, or another known network."""

from __future__ import annotations

from collections.abc import Iterator

from netblame._record import Record, record
from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import names, no_room, plural, pool_label, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import overlapping_spans, span
from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.plan.address import plan_addresses, planned_pod_fix, pool_for
from netblame.plan.cluster import cni_pool_fix, cni_pools, service_range_fix


@record
class _Range(Record):
    """A range pods or Services take addresses from."""

    label: str
    cidr: Cidr
    kind: str  # "pod", "service" or "pool"
    cni: CniConfig | None = None


# Something a range must keep clear of: (None, "--lan range 192.168.1.0/24") for a LAN, or
# (node name, address) for a node's address.
_Obstacle = tuple[str | None, object]


def _ranges(cluster: ClusterNetwork) -> Iterator[_Range]:
    for cidr in cluster.pod_cidrs:
        yield _Range("pod range", cidr, "pod")
    for cidr in cluster.service_cidrs:
        yield _Range("service range", cidr, "service")
    for cni, cidr in cni_pools(cluster):
        yield _Range(pool_label(cni), cidr, "pool", cni)


def _fix(cluster: ClusterNetwork, rng: _Range) -> str:
    family = rng.cidr.family
    planned = plan_addresses(cluster)
    if rng.kind == "service":
        return (service_range_fix(cluster, planned.services) if family in planned.services
                else no_room("move the service range clear of these networks"))
    if rng.kind == "pod":
        return planned_pod_fix(cluster, family, no_room("move the pod range clear of these networks"))
    assert rng.cni is not None
    new = pool_for(cluster, rng.cni, family)
    return cni_pool_fix(rng.cni, {family: new}) if new else no_room("move the CNI pool clear of these networks")


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Sweep every range and every obstacle once; group what each range collides with."""
    items: list[tuple[_Range | list[_Obstacle], int, int, int]] = []
    for rng in _ranges(cluster):
        items.append((rng, rng.cidr.family, *span(rng.cidr.network)))
    # Nodes sharing an address are one item: equal spans all overlap each other, so 10,000 nodes with one
    # InternalIP would otherwise make 50 million pairs for the sweep to list.
    by_address: dict[tuple[int, int], list[_Obstacle]] = {}
    for node in cluster.nodes:
        for addr in node.addresses:
            by_address.setdefault((addr.value.version, int(addr.value)), []).append((node.name, addr.value))
    for (version, value), holders in by_address.items():
        items.append((holders, version, value, value))
    for lan in cluster.lan:
        items.append(([(None, f"--lan range {lan.text}")], lan.family, *span(lan.network)))
    hits: dict[int, tuple[_Range, list[_Obstacle]]] = {}
    for a, b in overlapping_spans(items):
        if isinstance(a, _Range) and not isinstance(b, _Range):
            hits.setdefault(id(a), (a, []))[1].extend(b)
        elif isinstance(b, _Range) and not isinstance(a, _Range):
            hits.setdefault(id(b), (b, []))[1].extend(a)
    for rng, obstacles in hits.values():
        lans = [str(label) for name, label in obstacles if name is None]
        nodes = [f"{name} {address}" for name, address in obstacles if name is not None]
        parts = []
        if lans:
            parts.append(", ".join(lans))
        if nodes:
            parts.append(f"the addresses of {plural(len(nodes), 'node')} ({names(nodes)})")
        effect = ("nodes route those addresses into the cluster instead of to the network they belong to, so the "
                  "nodes lose the hosts there (or each other)")
        yield Diagnostic(
            message=(f"{rng.label} {rng.cidr.text} ({source_of(rng.cidr.origin)}) overlaps "
                     f"{' and '.join(parts)}: {effect}"),
            fix=_fix(cluster, rng),
            location=rng.cidr.origin,
        )


KUBEADM = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
           "  podSubnet: {pods}\n  serviceSubnet: 10.96.0.0/12\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB104",
        name="range-overlaps-network",
        title="Pod or service range overlaps a node address or a known network",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("A pod range, a service range or a CNI's own pool overlaps a node's address or a network named "
                 "with --lan (the home LAN, a VPN, Docker or Tailscale)."),
        rationale=(
            "Every node installs routes for the pod and service ranges (and the CNI for its pool). Where one of them "
            "covers the LAN or a VPN, packets for hosts there are sent into the cluster instead, so nodes stop "
            "reaching the router, each other, or the API server. The usual cases: Calico's default pool "
            "192.168.0.0/16 on a 192.168.x LAN, and Cilium's default cluster-pool 10.0.0.0/8 on a 10.x network, "
            "which Cilium's own documentation warns breaks node connectivity."
        ),
        fix=("Move the range clear of the LAN and the node addresses (netblame suggests a free one) and set the same "
             "value in the CNI's configuration."),
        references=(
            "projectcalico/calico manifests/calico.yaml (CALICO_IPV4POOL_CIDR default 192.168.0.0/16)",
            "cilium/cilium Documentation/network/concepts/ipam/cluster-pool.rst (10.0.0.0/8 default warning)",
        ),
        examples=(
            Example(name="a pod range on top of the home LAN",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="192.168.0.0/16")),),
                    args=("--lan", "192.168.1.0/24")),
            Example(name="Cilium's default cluster-pool 10.0.0.0/8 on a 10.1.0.0/16 network",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="172.16.0.0/16")),
                           ("cilium-values.yaml", "ipam:\n  mode: cluster-pool\n")),
                    args=("--lan", "10.1.0.0/16")),
            Example(name="Flannel's Network on top of the home LAN, with no pod range given",
                    files=(("net-conf.json", '{"Network": "192.168.0.0/16", "Backend": {"Type": "vxlan"}}\n'),),
                    args=("--lan", "192.168.1.0/24")),
            Example(name="a pod range clear of the home LAN",
                    files=(("kubeadm.yaml", KUBEADM.format(pods="172.16.0.0/16")),),
                    args=("--lan", "192.168.1.0/24"), fires=False),
        ),
    ),
    check=check,
)
