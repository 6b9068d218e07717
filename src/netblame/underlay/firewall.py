"""The hand-off's ports checked against a node's own packet filters: for each required port, the first
packet of a new connection from another node's address to this node's address runs through the snapshot's
netfilter ruleset (PREROUTING, then INPUT) with the dataplane's evaluator, as ``netblame trace`` runs it.
Accepted is met, dropped or rejected is not met (naming the table, chain and rule), and a verdict that
depends on a match the model does not simulate is unknown (naming the rule). Pure."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING

from netblame.model.snapshot import Snapshot
from netblame.underlay.node_facts import NodeFacts, host_namespace
from netblame.underlay.ports import Port

if TYPE_CHECKING:
    from netblame.dataplane.netfilter.evaluate import Evaluator, Outcome

# Ports only the control plane (servers, controllers) listens on: a drop elsewhere may be harmless.
CONTROL_PLANE = ("control plane", "servers", "controllers")
EVALUATED = ("tcp", "udp", "icmp")
SOURCE_PORT = 40000  # an ephemeral port for the packet's source (no rule of a host firewall depends on it)
VXLAN_RULE = "NB309"  # a node's filter drops its VXLAN overlay (checks/node/nb309_filter_drops_overlay.py)


def accept_fix(ns_name: str | None, nft: bool, proto: str, port: str, where: str) -> str:
    """The command that lets ``proto``/``port`` in ahead of what dropped it (``where`` is ``table/chain``)."""
    run = f"ip netns exec {ns_name} " if ns_name else ""
    if nft:
        table, _, chain = where.partition("/")
        return (f"`{run}nft insert rule {table} {chain} {proto} dport {port} accept` (and in the firewall's own "
                "configuration)")
    rng = port.replace("-", ":")
    return (f"`{run}iptables -I INPUT -p {proto} --dport {rng} -j ACCEPT`; with ufw `ufw allow {rng}/{proto}`, with "
            f"firewalld `firewall-cmd --permanent --add-port={port}/{proto} && firewall-cmd --reload`")


def _decided_by(o: Outcome) -> str:
    if o.rule.startswith("policy"):
        return f"the {o.rule} of {o.where}"
    return f"rule `{o.rule}` in {o.where}"


def fates(ev: Evaluator, src: str, dst: str, port: Port, iif: str | None) -> list[Outcome]:
    """Every way the first packet to ``port`` from ``src`` ends in PREROUTING and INPUT of ``dst``'s node
    (an outcome still ``accept`` after PREROUTING's destination NAT stays there: it is forwarded, not input)."""
    from netblame.dataplane.netfilter.evaluate import Conn

    fam = ipaddress.ip_address(dst).version
    dport = int(port.port.split("-")[0]) if port.port and port.protocol != "icmp" else None
    conn = Conn(fam, int(ipaddress.ip_address(src)), int(ipaddress.ip_address(dst)), port.protocol,
                SOURCE_PORT if dport is not None else None, dport, iif=iif)
    out: list[Outcome] = []
    for pre in ev.run_hook("prerouting", conn):
        if pre.verdict != "accept" or pre.conn.dnat:
            out.append(pre)
        else:
            out += ev.run_hook("input", pre.conn)
    return out


def _peer(facts: NodeFacts, nodes: Sequence[NodeFacts]) -> str:
    """Another node's address (the packet's source), else the next address after this node's."""
    other = next((n.address for n in nodes if n.address and n.address != facts.address), None)
    return other or str(ipaddress.ip_address(facts.address or "0.0.0.0") + 1)


def port_status(ev: Evaluator, facts: NodeFacts, nodes: Sequence[NodeFacts], port: Port,
                ns_name: str | None) -> tuple[str, str, str | None, str | None]:
    """(state, detail, rule, fix) for one port on one node."""
    src, dst = _peer(facts, nodes), facts.address or ""
    what = f"{port.label} from {src} to {dst}"
    outcomes = fates(ev, src, dst, port, facts.uplink)
    bad = next((o for o in outcomes if o.verdict in ("drop", "reject")), None)
    cp_only = port.to in CONTROL_PLANE
    if bad is not None:
        detail = f"the packet filter {bad.verdict}s {what} by {_decided_by(bad)}"
        if cp_only:
            return "unknown", f"{detail}: not met if {facts.name} runs the {port.to}", None, None
        nft = " " in bad.where.split("/")[0]
        rule = VXLAN_RULE if port.protocol == "udp" and "VXLAN" in port.purpose else None
        fix = None if port.port is None else accept_fix(ns_name, nft, port.protocol, port.port, bad.where)
        return "not met", detail, rule, fix
    odd = next((o for o in outcomes if o.verdict == "unknown" or (o.verdict == "accept" and o.conn.dnat)), None)
    if odd is not None:
        if odd.verdict == "accept":
            return "unknown", f"{what} is translated by `{odd.rule}` in {odd.where}: forwarded, not delivered here " \
                              "(netblame trace follows it)", None, None
        return "unknown", f"the verdict on {what} depends on `{odd.rule}` in {odd.where}, which is not simulated", \
            None, None
    return "met", f"the packet filter accepts {what}", None, None


def evaluators(snapshot: Snapshot) -> dict[str, tuple[Evaluator, str | None]]:
    """Per node name: its host namespace's packet filters ready to evaluate, and the namespace's name
    (nodes whose snapshot holds no ruleset are left out)."""
    from netblame.dataplane.index import Dataplane  # loaded only when a snapshot is checked

    dp = Dataplane(snapshot)
    out: dict[str, tuple[Evaluator, str | None]] = {}
    for node in snapshot.nodes:
        ns = host_namespace(node.namespaces) if node.role == "node" else None
        view = dp.view(ns.id) if ns is not None else None
        ev = view.netfilter if view is not None else None
        if ns is not None and ev is not None:
            out[node.name] = (ev, ns.name)
    return out
