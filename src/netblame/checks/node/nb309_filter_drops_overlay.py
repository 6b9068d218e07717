"""NB309: a node's packet filter drops its overlay's tunnel packets (VXLAN's UDP port) in INPUT."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node._filters import blocked, decided_by, is_nft, verdicts
from netblame.checks.node.common import hosts, where
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.dataplane.encap import tunnel_local, underlay_dev
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Snapshot

DEFAULT_PORT = 8472  # the Linux vxlan module's default port (drivers/net/vxlan), Flannel's on Linux


def _peer(snapshot: Snapshot, own: str) -> str:
    """A tunnel address of another node (the packet's source), else the next address in the same network."""
    for node in snapshot.nodes:
        for ns in hosts(node):
            for lk in ns.links:
                local = tunnel_local(lk) if lk.kind == "vxlan" else None
                if local and local != own:
                    return local
    return str(ipaddress.ip_address(own) + 1)


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    # The netfilter model loads only when a rule runs (`netblame check` of other inputs does not pay for it).
    from netblame.dataplane.index import Dataplane
    from netblame.dataplane.netfilter.evaluate import Conn
    from netblame.underlay.firewall import accept_fix

    dp = Dataplane(snapshot)
    for node in snapshot.nodes:
        for ns in hosts(node):
            for lk in ns.links:
                local = tunnel_local(lk) if lk.kind == "vxlan" else None
                if lk.vxlan is None or local is None:
                    continue
                port = lk.vxlan.port or DEFAULT_PORT
                fam = ipaddress.ip_address(local).version
                conn = Conn(fam, int(ipaddress.ip_address(_peer(snapshot, local))), int(ipaddress.ip_address(local)),
                            "udp", 40000, port, iif=underlay_dev(lk) or "eth0")
                bad = blocked(verdicts(dp, ns, "input", conn))
                if bad is None:
                    continue
                yield Diagnostic(
                    message=(f"node {node.name}'s packet filter {bad.verdict}s {lk.name}'s VXLAN packets (UDP {port} "
                             f"to {local}) in INPUT by {decided_by(bad)}: pods on other nodes cannot reach this "
                             "node's pods, and its pods cannot get answers from them"),
                    fix="let the overlay in before the drop: "
                        + accept_fix(ns.name, is_nft(bad), "udp", str(port), bad.where),
                    location=where(node, ns, lk.name),
                )


def _drop_vxlan(data: Data) -> None:
    host(data, 2)["netfilter"] = {"iptables": [{"backend": "nft", "family": 4, "text": (
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        "-A INPUT -p udp -m udp --dport 8472 -j DROP\nCOMMIT\n")}]}


def _allow_ssh_only(data: Data) -> None:
    host(data, 2)["netfilter"] = {"iptables": [{"backend": "nft", "family": 4, "text": (
        "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n")}]}


RULE = Rule(
    meta=RuleMeta(
        id="NB309",
        name="filter-drops-overlay",
        title="A node's packet filter drops its VXLAN overlay",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="The INPUT hook of a node's iptables or nftables drops or rejects UDP to its VXLAN device's port.",
        rationale=(
            "An overlay's packets between nodes are UDP datagrams to the VXLAN port (8472 for Flannel and the "
            "Linux default, 4789 for the IANA port) that the receiving node's kernel must accept in its INPUT "
            "chain before the vxlan device decapsulates them. A host firewall that does not know the overlay "
            "(ufw or firewalld with a default deny, a hardening script) drops them, and every pod on that node "
            "goes silent for the rest of the cluster while the node itself still answers pings."
        ),
        fix="Accept the overlay's UDP port in INPUT ahead of the rule or policy that drops it.",
        references=(
            "Flannel docs/backends.md: vxlan uses UDP 8472 on Linux by default",
            "Kubernetes docs, Ports and Protocols: the pod network plugin may need further ports open between nodes",
        ),
        examples=(
            Example(name="n2 drops UDP 8472 in INPUT", files=(("snap.json", two_nodes(_drop_vxlan)),)),
            Example(name="a filter that leaves the overlay alone", files=(("snap.json", two_nodes(_allow_ssh_only)),),
                    fires=False),
        ),
    ),
    check=check,
)
