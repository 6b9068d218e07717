"""NB207: CoreDNS forwards to a loopback address, or to a resolv.conf that leads back to the node stub."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.dns.chain import (
    assumed_kubelet_view,
    host_resolv,
    is_address,
    is_loopback,
    kubelet_resolv,
    target_address,
)
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import ETC_RESOLV, UPLINK_RESOLV, DnsSetup
from netblame.model.origin import Sourced

if TYPE_CHECKING:
    from netblame.model.dns import CoreDnsForward, Corefile

COREFILE = (".:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n"
            "       fallthrough in-addr.arpa ip6.arpa\n    }\n    forward . {target}\n    cache 30\n    loop\n"
            "    reload\n}\n")


def _consequence(has_loop: bool) -> str:
    if has_loop:
        return ("the loop plugin sees its own probe come back and stops CoreDNS (`plugin/loop: Loop (...) detected "
                "for zone \".\"`): CrashLoopBackOff")
    return "without the loop plugin the queries circle until they time out"


def _share(forward: CoreDnsForward, servers: tuple[Sourced[str], ...], loopback: Sourced[str]) -> str:
    """How many queries reach the loopback server, by the forward's policy (coredns plugin/forward README)."""
    policy = forward.policy.value if forward.policy is not None else "random"
    if policy == "sequential":
        first = bool(servers) and servers[0].value == loopback.value
        return ("with `policy sequential` CoreDNS asks the servers in order, so every query goes to it first"
                if first else "with `policy sequential` queries reach it whenever the servers before it fail")
    if policy == "round_robin":
        return f"with `policy round_robin` one query in {len(servers)} goes to it"
    return ("CoreDNS picks an upstream at random for each query (policy random, the default), so a share of them "
            "goes to it")


def _on_host(setup: DnsSetup, corefile: Corefile, forward: CoreDnsForward,
             target: Sourced[str]) -> Iterator[Diagnostic]:
    """CoreDNS on the node itself (no kubernetes plugin) forwarding to a resolv.conf that names it."""
    file = host_resolv(setup) if target.value == ETC_RESOLV else setup.resolv(target.value)
    ports = {p.value for p in corefile.root_ports}
    if file is None or 53 not in ports:
        return
    # 127.0.0.53 is systemd-resolved's stub, another server; any other loopback address on port 53 is CoreDNS.
    upstream = [n for n in file.nameservers if is_address(n.value) and not is_loopback(n.value)]
    for server in (n for n in file.nameservers if is_loopback(n.value) and n.value != "127.0.0.53"):
        yield Diagnostic(
            message=(f"this CoreDNS has no kubernetes plugin, so it runs on the node and listens on port 53 of every "
                     f"address, {server.value} included; it {forward.plugin}s {forward.zone} to {target.value}, "
                     f"which lists {server.value} ({server.origin}): {_share(forward, file.nameservers, server)}, "
                     f"and those come back to CoreDNS itself; {_consequence(corefile.loop is not None)}"),
            fix=(f"forward to the upstream servers directly (`{forward.plugin} . "
                 f"{' '.join(n.value for n in upstream) or '<upstream address>'}"
                 f"`), or keep `{forward.plugin} . {target.value}` and remove `nameserver {server.value}` from it"),
            location=target.origin)


def _in_pod(setup: DnsSetup, forward: CoreDnsForward, target: Sourced[str], has_loop: bool) -> Iterator[Diagnostic]:
    """A cluster CoreDNS forwarding to /etc/resolv.conf, which in its pod is kubelet's resolvConf."""
    view = assumed_kubelet_view(setup)
    host = kubelet_resolv(setup, view) if view is not None else None
    if view is None or host is None:
        return
    if host.loopback_only:
        yield Diagnostic(
            message=(f"CoreDNS {forward.plugin}s {forward.zone} to {target.value}, which in the CoreDNS pod is "
                     f"kubelet's resolvConf {view.resolv_conf.value} ({view.resolv_conf.origin}) with only "
                     f"{' '.join(host.nameservers)}: CoreDNS asks itself; {_consequence(has_loop)}"),
            fix=(f"set kubelet `resolvConf: {UPLINK_RESOLV}` and restart kubelet and CoreDNS, or forward "
                 "to the upstream servers directly (`forward . <router address>`)"),
            location=target.origin, severity=None if setup.kubelet else Severity.WARNING)
    elif host.loopback and host.file is not None:
        loopback = " ".join(n.value for n in host.loopback)
        share = _share(forward, host.file.nameservers, host.loopback[0])
        yield Diagnostic(
            message=(f"CoreDNS {forward.plugin}s {forward.zone} to {target.value}, which in the CoreDNS pod is "
                     f"kubelet's resolvConf {view.resolv_conf.value} ({view.resolv_conf.origin}); it lists "
                     f"{loopback} among its servers, which in the pod is CoreDNS itself: {share}; "
                     f"{_consequence(has_loop)}"),
            fix=(f"remove `nameserver {host.loopback[0].value}` from {view.resolv_conf.value} (or point kubelet's "
                 "resolvConf at a file without it), then restart kubelet and the CoreDNS pods"),
            severity=Severity.WARNING, location=target.origin)


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """Forward targets that are loopback addresses, or a resolv.conf path whose servers are loopback."""
    for corefile in setup.corefiles:
        has_loop = corefile.loop is not None
        for forward in corefile.forwards:
            for target in forward.targets:
                if target.value.startswith("/"):
                    if corefile.kubernetes is None:
                        yield from _on_host(setup, corefile, forward, target)
                    elif target.value == ETC_RESOLV:
                        yield from _in_pod(setup, forward, target, has_loop)
                elif is_loopback(target_address(target.value)):
                    yield Diagnostic(
                        message=(f"CoreDNS {forward.plugin}s {forward.zone} to {target.value}, a loopback address, "
                                 f"which inside the CoreDNS pod is CoreDNS itself; {_consequence(has_loop)}"),
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
        also=((Severity.WARNING, "when a loopback server is one of several, so only a share of queries loops, or "
                                 "when kubelet's resolvConf is assumed rather than read"),),
        applies_to=DnsSetup,
        summary="A CoreDNS `forward` (or the old `proxy`) goes to a loopback address, or to /etc/resolv.conf while "
                "kubelet's resolvConf holds only loopback nameservers (systemd-resolved's 127.0.0.53; an error) or "
                "one among real servers (a warning); or a CoreDNS on the node itself (no kubernetes plugin) "
                "forwards to a resolv.conf that names its own loopback address. With no kubelet configuration "
                "read, kubelet's default /etc/resolv.conf is assumed and the finding says so.",
        rationale=(
            "CoreDNS runs in a pod: a loopback address there is CoreDNS itself, not the node's resolver. The "
            "default kubeadm Corefile says `forward . /etc/resolv.conf`, and the CoreDNS pod's /etc/resolv.conf "
            "is built from kubelet's resolvConf. With the loop plugin (in kubeadm's default Corefile) CoreDNS "
            "detects the loop and exits, so it sits in CrashLoopBackOff and the whole cluster loses DNS. With a "
            "loopback address among real servers, CoreDNS's forward picks a server at random for each query "
            "(policy random by default), so some queries loop and some do not. A CoreDNS run on the node itself "
            "listens on port 53 of every address, loopback included: a resolv.conf naming 127.0.0.1 sends it its "
            "own queries."
        ),
        fix="Give kubelet a resolvConf with real upstream servers (/run/systemd/resolve/resolv.conf with "
            "systemd-resolved), or forward CoreDNS to upstream addresses directly.",
        references=(
            "coredns/coredns plugin/loop/README.md and plugin/loop/loop.go",
            "coredns/coredns plugin/forward/README.md (policy random by default); the proxy plugin it replaced "
            "(removed in CoreDNS 1.7.0) took the same `proxy FROM TO...` form",
            "kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go (default Corefile)",
        ),
        examples=(
            Example(name="forward to 127.0.0.53", files=(("Corefile", COREFILE.replace("{target}", "127.0.0.53")),)),
            Example(name="forward to resolv.conf while kubelet reads the stub",
                    files=(("Corefile", COREFILE.replace("{target}", "/etc/resolv.conf")),
                           ("config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                                           "resolvConf: /run/systemd/resolve/stub-resolv.conf\n"))),
            Example(name="old proxy plugin to resolv.conf, a cache's 127.0.0.1 among the real servers",
                    files=(("Corefile", COREFILE.replace("forward . {target}", "proxy . /etc/resolv.conf")),
                           ("resolv.conf", "nameserver 127.0.0.1\nnameserver 192.168.1.1\n"))),
            Example(name="CoreDNS on the node forwarding to a resolv.conf that names it",
                    files=(("Corefile", ". {\n    forward . /etc/resolv.conf\n}\n"),
                           ("resolv.conf", "nameserver 127.0.0.1\nnameserver 192.168.1.1\n"))),
            Example(name="CoreDNS on the node forwarding to resolv.conf without itself",
                    files=(("Corefile", ". {\n    forward . /etc/resolv.conf\n}\n"),
                           ("resolv.conf", "nameserver 192.168.1.1\n")),
                    fires=False),
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
