"""NB207: CoreDNS forwards to a loopback address, or to a resolv.conf that leads back to the node stub."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.dns.chain import is_loopback, kubelet_resolv, kubelet_view, target_address
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import UPLINK_RESOLV, DnsSetup

COREFILE = (".:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n"
            "       fallthrough in-addr.arpa ip6.arpa\n    }\n    forward . {target}\n    cache 30\n    loop\n"
            "    reload\n}\n")


def _consequence(has_loop: bool) -> str:
    if has_loop:
        return ("the loop plugin sees its own probe come back and stops CoreDNS (`plugin/loop: Loop (...) detected "
                "for zone \".\"`): CrashLoopBackOff")
    return "without the loop plugin the queries circle until they time out"


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """Forward targets that are loopback addresses, or a resolv.conf path whose servers are loopback."""
    view = kubelet_view(setup)
    host = kubelet_resolv(setup, view) if view is not None else None
    for corefile in setup.corefiles:
        has_loop = corefile.loop is not None
        for forward in corefile.forwards:
            for target in forward.targets:
                if target.value.startswith("/"):
                    if host is None or not host.loopback_only:
                        continue
                    assert view is not None
                    yield Diagnostic(
                        message=(f"CoreDNS forwards {forward.zone} to {target.value}, which in the CoreDNS pod is "
                                 f"kubelet's resolvConf {view.resolv_conf.value} ({view.resolv_conf.origin}) with only "
                                 f"{' '.join(host.nameservers)}: CoreDNS asks itself; {_consequence(has_loop)}"),
                        fix=(f"set kubelet `resolvConf: {UPLINK_RESOLV}` and restart kubelet and CoreDNS, or forward "
                             "to the upstream servers directly (`forward . <router address>`)"),
                        location=target.origin)
                elif is_loopback(target_address(target.value)):
                    yield Diagnostic(
                        message=(f"CoreDNS forwards {forward.zone} to {target.value}, a loopback address, which "
                                 f"inside the CoreDNS pod is CoreDNS itself; {_consequence(has_loop)}"),
                        fix=("forward to a server reachable from the pod network: "
                             f"`forward . /etc/resolv.conf` with kubelet `resolvConf: {UPLINK_RESOLV}`, or "
                             "`forward . <upstream address>`"),
                        location=target.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB207",
        name="coredns-forward-loop",
        title="CoreDNS forwards to itself",
        severity=Severity.ERROR,
        applies_to=DnsSetup,
        summary="A CoreDNS `forward` goes to a loopback address, or to /etc/resolv.conf while kubelet's resolvConf "
                "holds only loopback nameservers (systemd-resolved's 127.0.0.53).",
        rationale=(
            "CoreDNS runs in a pod: a loopback address there is CoreDNS itself, not the node's resolver. The "
            "default kubeadm Corefile says `forward . /etc/resolv.conf`, and the CoreDNS pod's /etc/resolv.conf "
            "is built from kubelet's resolvConf. With the loop plugin (in kubeadm's default Corefile) CoreDNS "
            "detects the loop and exits, so it sits in CrashLoopBackOff and the whole cluster loses DNS."
        ),
        fix="Give kubelet a resolvConf with real upstream servers (/run/systemd/resolve/resolv.conf with "
            "systemd-resolved), or forward CoreDNS to upstream addresses directly.",
        references=(
            "coredns/coredns plugin/loop/README.md and plugin/loop/loop.go",
            "kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go (default Corefile)",
        ),
        examples=(
            Example(name="forward to 127.0.0.53", files=(("Corefile", COREFILE.replace("{target}", "127.0.0.53")),)),
            Example(name="forward to resolv.conf while kubelet reads the stub",
                    files=(("Corefile", COREFILE.replace("{target}", "/etc/resolv.conf")),
                           ("config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                                           "resolvConf: /run/systemd/resolve/stub-resolv.conf\n"))),
            Example(name="forward to resolv.conf, kubelet reads the uplink file",
                    files=(("Corefile", COREFILE.replace("{target}", "/etc/resolv.conf")),
                           ("config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                                           "resolvConf: /run/systemd/resolve/resolv.conf\n"),
                           ("uplink", "# This is /run/systemd/resolve/resolv.conf managed by man:systemd-resolved(8)."
                                      "\nnameserver 192.168.1.1\n")),
                    fires=False),
        ),
    ),
    check=check,
)
