"""NB106: a CIDR with host bits set."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import all_cidrs
from netblame.findings import Diagnostic, Severity
from netblame.model.cluster import ClusterNetwork


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """Yield one diagnostic per CIDR whose text has bits set right of the prefix."""
    for label, cidr in all_cidrs(cluster):
        if cidr.host_bits_set:
            yield Diagnostic(
                message=(f"{label} {cidr.text} has host bits set: with a /{cidr.prefixlen} prefix the network is "
                         f"really {cidr.network}, which may not be the range you meant"),
                fix=f"write {cidr.network} (or, if you meant a range starting at {cidr.text.split('/')[0]}, "
                    "pick a prefix on which it is aligned)",
                location=cidr.origin,
            )


RULE = Rule(
    meta=RuleMeta(
        id="NB106",
        name="cidr-host-bits-set",
        title="CIDR has host bits set",
        severity=Severity.WARNING,
        applies_to=ClusterNetwork,
        summary="A range is written with bits set to the right of its prefix, such as 10.196.0.0/12.",
        rationale=(
            "Components disagree on what such a value means. Go's net.ParseCIDR, which kube-apiserver, "
            "kube-controller-manager and kubeadm use, silently masks the host bits, so 10.196.0.0/12 becomes "
            "10.192.0.0/12: a range 4 times larger in front of the one you wrote, which may overlap networks you "
            "meant to keep clear. Other tools reject the value outright. Either way the cluster does not use the "
            "range you think it does."
        ),
        fix="Write the network address of the range (the value netblame prints), or choose a prefix length on "
            "which the address you wrote is aligned.",
        references=(
            "kubernetes/kubernetes cmd/kubeadm/app/util/config/testdata/defaulting/controlplane/incomplete.yaml "
            "(serviceSubnet 10.196.0.0/12)",
            "Go net.ParseCIDR: returns the IP and the network it implies (https://pkg.go.dev/net#ParseCIDR)",
        ),
        examples=(
            Example(
                name="service subnet with host bits",
                files=(("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                        "networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.196.0.0/12\n"),),
            ),
            Example(
                name="aligned ranges",
                files=(("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                        "networking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n"),),
                fires=False,
            ),
        ),
    ),
    check=check,
)
