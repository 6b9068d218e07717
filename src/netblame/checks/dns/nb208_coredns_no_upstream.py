"""NB208: a cluster's CoreDNS has no forward (or proxy) for the root zone: names outside the cluster fail."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import DnsSetup

KUBEADM = (".:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n"
           "       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n"
           "{forward}    cache 30\n    loop\n    reload\n}\n")


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """Corefiles with the kubernetes plugin whose root-zone server blocks forward nowhere."""
    for corefile in setup.corefiles:
        if corefile.kubernetes is None or not corefile.root_ports:
            continue
        if any(f.zone in (".", "dns://.") for f in corefile.forwards):
            continue
        yield Diagnostic(
            message=("this CoreDNS serves the root zone `.` with the kubernetes plugin but has no `forward` (or "
                     "`proxy`) for it: names outside the cluster domain get no answer from upstream, so pods "
                     "cannot resolve anything on the internet or the LAN"),
            fix=("add `forward . /etc/resolv.conf` to the `.:53` server block (kubeadm's default), or "
                 "`forward . <upstream address>`, then let the reload plugin pick it up or restart CoreDNS"),
            location=corefile.kubernetes.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB208",
        name="coredns-no-upstream",
        title="CoreDNS has no upstream for names outside the cluster",
        severity=Severity.ERROR,
        applies_to=DnsSetup,
        summary="A Corefile with the kubernetes plugin serves `.` but has no `forward` (or the old `proxy`) for it.",
        rationale=(
            "CoreDNS answers cluster names from the kubernetes plugin; every other name goes to the plugin that "
            "forwards to an upstream resolver, `forward . /etc/resolv.conf` in kubeadm's default Corefile. A "
            "generated or hand-edited Corefile without it answers cluster names and nothing else: image pulls "
            "inside pods, webhooks and package mirrors fail by name while everything by address works."
        ),
        fix="Add `forward . /etc/resolv.conf` (or `forward . <upstream address>`) to the root server block.",
        references=(
            "kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go (default Corefile)",
            "coredns/coredns plugin/forward/README.md",
            "gravitational/gravity issue 606 (a generated Corefile without upstream resolvers)",
        ),
        examples=(
            Example(name="kubeadm's Corefile without its forward line",
                    files=(("Corefile", KUBEADM.replace("{forward}", "")),)),
            Example(name="kubeadm's Corefile", files=(("Corefile", KUBEADM.replace(
                "{forward}", "    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n")),),
                fires=False),
        ),
    ),
    check=check,
)
