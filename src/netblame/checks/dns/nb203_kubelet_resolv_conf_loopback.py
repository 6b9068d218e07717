"""NB203: kubelet's resolvConf leads to loopback-only nameservers; unknown KubeletConfiguration keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.dns.chain import KubeletResolv, KubeletView, assumed_kubelet_view, is_loopback, kubelet_resolv
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import ETC_RESOLV, KUBELET_FIELDS, UPLINK_RESOLV, DnsSetup

KUBELET = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n"
           "clusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n")
STUB = ("# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).\n"
        "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch home.arpa\n")
FIX = (f"set `resolvConf: {UPLINK_RESOLV}` in the KubeletConfiguration (/var/lib/kubelet/config.yaml; kubeadm does "
       "this itself when systemd-resolved is active), then `sudo systemctl restart kubelet` and restart the CoreDNS "
       "pods: `kubectl -n kube-system rollout restart deployment coredns`")


def _some_loopback(view: KubeletView, host: KubeletResolv) -> Iterator[Diagnostic]:
    """A loopback nameserver among real ones: pods get it too, and it answers nothing there."""
    for server in host.loopback:
        others = " ".join(n for n in host.nameservers if not is_loopback(n))
        yield Diagnostic(
            message=(f"kubelet resolvConf {view.resolv_conf.value} ({view.resolv_conf.origin}) lists the loopback "
                     f"nameserver {server.value} next to {others}: kubelet copies every nameserver into pods with "
                     "dnsPolicy Default, CoreDNS among them, and inside a pod a loopback address is the pod itself; "
                     "the resolver tries the servers in order (CoreDNS's forward picks one at random), so lookups "
                     "that reach it wait for the timeout or loop back into CoreDNS"),
            fix=(f"remove `nameserver {server.value}` from the file kubelet reads, or give kubelet a file without it "
                 "(`resolvConf:` in /var/lib/kubelet/config.yaml naming a resolv.conf with only "
                 f"{others or 'the upstream servers'}), then restart kubelet and the CoreDNS pods"),
            severity=Severity.WARNING, location=server.origin)


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """Loopback-only upstreams for pods, and KubeletConfiguration keys kubelet does not know."""
    for config in setup.kubelet:
        for key in config.unknown_keys:
            close = difflib.get_close_matches(key.value, KUBELET_FIELDS, n=1, cutoff=0.75)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            effect = (f"; kubelet keeps resolvConf at its default {ETC_RESOLV}"
                      if close and close[0] == "resolvConf" else "")
            yield Diagnostic(message=f"KubeletConfiguration has no field `{key.value}`{hint}: kubelet does not apply "
                                     f"it{effect}",
                             fix=f"rename the key to `{close[0]}`" if close else "remove the key",
                             severity=Severity.WARNING, location=key.origin)
    view = assumed_kubelet_view(setup)
    host_coredns = setup.corefiles and all(c.kubernetes is None for c in setup.corefiles)
    if view is None or (not setup.kubelet and host_coredns):
        return  # a CoreDNS run on a host without Kubernetes (no kubernetes plugin, no kubelet): NB207's case
    host = kubelet_resolv(setup, view)
    if not host.loopback_only:
        yield from _some_loopback(view, host)
        return
    path = view.resolv_conf.value
    via = ""
    if path == ETC_RESOLV and setup.etc_resolv_link is not None:
        via = f", a symlink to {setup.etc_resolv_link.value}"
    known = " (systemd-resolved's stub files list only 127.0.0.53)" if host.known_by_path else ""
    # With no kubelet configuration read, kubelet's default is an assumption (kubeadm, for one, points
    # resolvConf at the uplink file when systemd-resolved runs): a warning, not an error.
    assumed = not setup.kubelet
    yield Diagnostic(
        message=(f"kubelet resolvConf is {path} ({view.resolv_conf.origin}){via}, whose only nameservers are "
                 f"{' '.join(host.nameservers)}{known}: pods with dnsPolicy Default, CoreDNS among them, get a "
                 "loopback address that inside a pod is the pod itself, so CoreDNS forwards to itself and its loop "
                 "plugin stops it (CrashLoopBackOff)"),
        fix=FIX, location=view.resolv_conf.origin, severity=Severity.WARNING if assumed else None)


RULE = Rule(
    meta=RuleMeta(
        id="NB203",
        name="kubelet-resolv-conf-loopback",
        title="kubelet hands pods a loopback nameserver",
        severity=Severity.ERROR,
        also=((Severity.WARNING, "for a KubeletConfiguration key kubelet does not know"),),
        applies_to=DnsSetup,
        summary="kubelet's resolvConf (default /etc/resolv.conf) leads to a file whose only nameservers are "
                "loopback addresses such as 127.0.0.53 (an error), or that lists one among real servers (a "
                "warning), or the KubeletConfiguration has keys kubelet does not know (a misspelt resolvConf is as "
                "bad as none). With no kubelet configuration read, kubelet's default /etc/resolv.conf is assumed "
                "and the finding says so.",
        rationale=(
            "kubelet copies the nameservers of its resolvConf file into pods with dnsPolicy Default, and CoreDNS "
            "runs with that policy. 127.0.0.53 is systemd-resolved's stub on the node, but inside a pod it is the "
            "pod's own loopback: CoreDNS's `forward . /etc/resolv.conf` then sends queries to itself, the loop "
            "plugin detects it and exits (`plugin/loop: Loop (...) detected for zone \".\"`), and CoreDNS ends in "
            "CrashLoopBackOff. /run/systemd/resolve/resolv.conf lists the real upstream servers instead."
        ),
        fix="Point kubelet's resolvConf at /run/systemd/resolve/resolv.conf (or another file with real upstream "
            "servers), restart kubelet and the CoreDNS pods; spell KubeletConfiguration keys exactly.",
        references=(
            "kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (Default policy copies the host file)",
            "kubernetes/kubernetes cmd/kubeadm/app/componentconfigs/kubelet.go (kubeletSystemdResolverConfig)",
            "coredns/coredns plugin/loop/README.md (troubleshooting: 127.0.0.53 in kubelet's resolv.conf)",
            "kubernetes/kubernetes staging/src/k8s.io/kubelet/config/v1beta1/types.go (fields)",
        ),
        examples=(
            Example(name="resolvConf pointing at the stub",
                    files=(("config.yaml", KUBELET + "resolvConf: /run/systemd/resolve/stub-resolv.conf\n"),)),
            Example(name="misspelt resolvConf, default /etc/resolv.conf is the stub",
                    files=(("config.yaml", KUBELET + "resolveConf: /run/systemd/resolve/resolv.conf\n"),
                           ("resolv.conf", STUB))),
            Example(name="a local cache's 127.0.0.1 before the real servers (no kubelet configuration read)",
                    files=(("resolv.conf", "search example.com\nnameserver 127.0.0.1\nnameserver 192.168.1.1\n"),)),
            Example(name="resolvConf pointing at the uplink file",
                    files=(("config.yaml", KUBELET + "resolvConf: /run/systemd/resolve/resolv.conf\n"),
                           ("resolv.conf", STUB),
                           ("uplink.conf", "# This is /run/systemd/resolve/resolv.conf managed by "
                                           "man:systemd-resolved(8).\nnameserver 10.98.0.1\nsearch home.arpa\n")),
                    fires=False),
        ),
    ),
    check=check,
)
