"""NB109: service range too large for kube-apiserver, or the cluster DNS address outside it."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import no_room, source_of
from netblame.findings import Diagnostic, Severity
from netblame.ipmath import IPNetwork, bits
from netblame.model.cidr import IPAddress
from netblame.model.cluster import ClusterNetwork
from netblame.plan.address import DNS_INDEX, MAX_SERVICE_HOST_BITS, plan_addresses
from netblame.plan.cluster import FAMILIES, service_range_fix


def dns_address(network: IPNetwork) -> IPAddress:
    """The 10th address of a service range, where kubeadm puts the cluster DNS Service."""
    return network.network_address + DNS_INDEX


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Check each service range's size and where the cluster DNS address falls."""
    for family in FAMILIES:
        service = cluster.service_cidr(family)
        if service is None:
            continue
        width = bits(family)
        limit = width - MAX_SERVICE_HOST_BITS
        too_large = service.prefixlen < limit
        too_small = service.network.num_addresses <= DNS_INDEX
        stray_dns = [a for a in cluster.cluster_dns if a.value.version == family and a.value not in service.network]
        if not (too_large or too_small or stray_dns):
            continue
        planned = plan_addresses(cluster).services
        if too_large:
            yield Diagnostic(
                message=(f"service range {service.text} has {width - service.prefixlen} host bits, more than the 20 "
                         f"kube-apiserver accepts: it refuses to start with \"specified --service-cluster-ip-range is "
                         f"too large; for {width}-bit addresses, the mask must be >= {limit}\" (kubeadm: \"specified "
                         f"service subnet is too large\")"),
                fix=(service_range_fix(cluster, planned) if family in planned
                     else no_room(f"use a service range of /{limit} or smaller")),
                location=service.origin,
            )
        if too_small:
            yield Diagnostic(
                message=(f"service range {service.text} has only {service.network.num_addresses} addresses, so it "
                         f"has no 10th address for kubeadm to give the cluster DNS Service"),
                fix=(service_range_fix(cluster, planned) if family in planned
                     else no_room(f"use a service range of /{width - DNS_INDEX.bit_length()} or larger")),
                location=service.origin,
            )
            continue
        fixed = planned.get(family, service.network)
        for addr in stray_dns:
            yield Diagnostic(
                message=(f"cluster DNS address {addr.value} ({source_of(addr.origin)}) lies outside the service "
                         f"range {service.text} ({source_of(service.origin)}): kube-apiserver can never give the "
                         "DNS Service that address, so every pod's resolv.conf points at nothing"),
                fix=(f"KubeletConfiguration `clusterDNS: [\"{dns_address(fixed)}\"]` (the 10th address of {fixed}, "
                     "as kubeadm sets it)"),
                location=addr.origin,
            )


KUBEADM = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
           "  podSubnet: 172.16.0.0/16\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB109",
        name="service-range-limits",
        title="Service range too large, or cluster DNS outside it",
        severity=Severity.ERROR,
        applies_to=ClusterNetwork,
        summary=("The service range has more than 20 host bits (IPv4 shorter than /12, IPv6 shorter than /108), or "
                 "the cluster DNS address kubelet hands to pods lies outside it."),
        rationale=(
            "kube-apiserver refuses a service range with more than 20 host bits: \"specified "
            "--service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12\" (\"... for "
            "128-bit addresses, the mask must be >= 108\"), and kubeadm checks the same before init. The cluster DNS "
            "Service lives at the 10th address of the service range (10.96.0.10 for 10.96.0.0/12); a kubelet "
            "clusterDNS outside the range names an address no Service can have, so name resolution fails in every "
            "pod."
        ),
        fix="Use a service range of /12 or smaller (IPv6 /108 or smaller) and point clusterDNS at its 10th address.",
        references=(
            "kubernetes/kubernetes cmd/kube-apiserver/app/options/validation.go (validateMaxCIDRRange, maxCIDRBits 20)",
            "kubernetes/kubernetes cmd/kubeadm/app/constants/constants.go (DNS at the tenth service address)",
        ),
        examples=(
            Example(name="a /8 service range", files=(("kubeadm.yaml", KUBEADM + "  serviceSubnet: 10.0.0.0/8\n"),)),
            Example(name="kubeadm's default /12 service range",
                    files=(("kubeadm.yaml", KUBEADM + "  serviceSubnet: 10.96.0.0/12\n"),), fires=False),
        ),
    ),
    check=check,
)
