"""NB301: an overlay device's MTU does not fit in its underlay once the encapsulation is added."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import hosts, ip_cmd, lookup, out_dev, where
from netblame.checks.node.examples import Data, host, link, two_nodes
from netblame.dataplane import encap
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Link, Namespace, Snapshot


def _endpoint(ns: Namespace, lk: Link) -> str | None:
    """An underlay address the tunnel uses: its local address, else a remote one."""
    local = encap.tunnel_local(lk)
    if local:
        return local
    if lk.vxlan is not None:
        return lk.vxlan.remote or lk.vxlan.group or next((f.dst for f in ns.fdb if f.dev == lk.name and f.dst), None)
    remote = lk.info.get("remote")
    return remote if isinstance(remote, str) and remote not in ("any", "") else None


def underlay(ns: Namespace, lk: Link) -> tuple[Link, int] | None:
    """The device the tunnel's packets leave by, and the underlay's IP version; None when unknown."""
    endpoint = _endpoint(ns, lk)
    family = 6 if endpoint and ":" in endpoint else 4
    name = encap.underlay_dev(lk)
    if name is None and endpoint:
        name = next((a.dev for a in ns.addresses if a.address == endpoint), None)
        if name is None:
            try:
                name = out_dev(lookup(ns, ipaddress.ip_address(endpoint)))
            except ValueError:
                name = None
    found = ns.link(name) if name is not None else None
    return (found, family) if found is not None and found.name != lk.name else None


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    for node in snapshot.nodes:
        for ns in hosts(node):
            for lk in ns.links:
                if lk.kind not in encap.OVERHEAD or not lk.admin_up or lk.info.get("external"):
                    continue
                found = underlay(ns, lk)
                if found is None:
                    continue
                under, family = found
                overhead = encap.overhead(lk.kind, family)
                fits = under.mtu - overhead
                if lk.mtu <= fits:
                    continue
                yield Diagnostic(
                    message=(f"{lk.name} ({lk.kind}) has MTU {lk.mtu}, but its underlay {under.name} has MTU "
                             f"{under.mtu}: {lk.kind} over IPv{family} adds {overhead} bytes, so a full-size "
                             f"packet becomes {lk.mtu + overhead} bytes, more than {under.name} carries; large "
                             "packets between pods on different nodes are dropped while pings still work"),
                    fix=(f"lower {lk.name}'s MTU (and the pods' MTU in the CNI configuration) to {fits}: "
                         f"`{ip_cmd(ns)} link set dev {lk.name} mtu {fits}`, or raise {under.name}'s MTU to "
                         f"{lk.mtu + overhead} on every node and switch port: "
                         f"`{ip_cmd(ns)} link set dev {under.name} mtu {lk.mtu + overhead}`"),
                    location=where(node, ns, lk.name),
                )


def _small_underlay(data: Data) -> None:
    link(host(data, 2), "eth0")["mtu"] = 1400


def _small_overlay(data: Data) -> None:
    link(host(data, 2), "eth0")["mtu"] = 1400
    link(host(data, 2), "flannel.1")["mtu"] = 1350


RULE = Rule(
    meta=RuleMeta(
        id="NB301",
        name="overlay-mtu-too-large",
        title="Overlay MTU larger than the underlay carries",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="A VXLAN, Geneve, IPIP or WireGuard device's MTU is larger than its underlay device's MTU "
                "minus the bytes the encapsulation adds.",
        rationale=(
            "Every packet through a tunnel gets an outer header: VXLAN and Geneve 50 bytes over IPv4 (70 over "
            "IPv6), IPIP 20, WireGuard 60 (80). If the tunnel device (and the pods behind it) may send packets "
            "as large as the underlay's MTU, the encapsulated packet no longer fits: it is dropped, or fragmented "
            "where the outer header forbids it. Small packets (ping, DNS, TCP handshakes) pass, large transfers "
            "hang: the classic 'it works but it's slow or stuck' symptom. Geneve options add more than the "
            "50-byte minimum counted here."
        ),
        fix="Set the tunnel device's MTU, and the pods' MTU in the CNI configuration, to the underlay's MTU minus "
            "the overhead, or raise the underlay MTU end to end (every node and switch port).",
        references=(
            "Calico, Configure MTU (IP-in-IP 20, VXLAN 50/70, WireGuard 60/80 bytes): "
            "https://docs.tigera.io/calico/latest/networking/configuring/mtu",
            "cilium/cilium pkg/mtu/mtu.go (TunnelOverhead = 50, WireguardOverhead = 80)",
            "RFC 8926 Geneve header: 8-byte fixed header plus variable-length options",
        ),
        examples=(
            Example(name="underlay MTU lowered under a 1450-byte VXLAN device",
                    files=(("snap.json", two_nodes(_small_underlay)),)),
            Example(name="VXLAN device 50 bytes under its underlay", files=(("snap.json", two_nodes()),), fires=False),
            Example(name="overlay lowered with the underlay", files=(("snap.json", two_nodes(_small_overlay)),),
                    fires=False),
        ),
    ),
    check=check,
)
