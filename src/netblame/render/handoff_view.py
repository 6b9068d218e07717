"""``netblame handoff`` as text, Markdown (for the report and for tickets) and ``netblame/handoff/v1`` JSON."""

from __future__ import annotations

import json

from netblame.underlay.handoff import Handoff
from netblame.underlay.router import snippets

SCHEMA = "netblame/handoff/v1"


def to_json(h: Handoff) -> dict[str, object]:
    inp = h.inputs
    return {
        "schema": SCHEMA,
        "inputs": {"distribution": inp.distribution, "cni": inp.cni, "routing": inp.routing,
                   "encryption": inp.encryption, "pod_cidrs": list(inp.pod_cidrs), "asn": inp.asn,
                   "router_ip": inp.router_ip, "sources": list(inp.sources),
                   "nodes": [{"name": n.name, "address": n.address, "pod_cidrs": list(n.pod_cidrs)}
                             for n in inp.nodes]},
        "ports": [{"protocol": p.protocol, "port": p.port, "to": p.to, "from": p.source, "purpose": p.purpose,
                   "source": p.ref} for p in h.ports],
        "mtu": {"underlay_mtu": h.mtu.underlay_mtu, "encapsulation": list(h.mtu.encapsulation),
                "overhead": h.mtu.overhead, "pod_mtu": h.mtu.pod_mtu,
                "underlay_for_1500_byte_pods": h.mtu.underlay_for_full_pods},
        "routing": h.routing,
        "routes": [{"prefix": r.prefix, "via": r.via, "node": r.node} for r in h.routes],
        "router_config": snippets(h),
        "dhcp_dns": list(h.dhcp),
        "notes": list(h.notes),
        "checks": [{"requirement": s.requirement, "node": s.node, "state": s.state, "detail": s.detail,
                    "rule": s.rule, "fix": s.fix} for s in h.checks],
    }


def _routing_words(h: Handoff) -> str:
    if h.routing == "overlay":
        return (f"overlay ({'+'.join(h.mtu.encapsulation)}): the network carries only node-to-node packets; "
                "pod ranges need no routes on the router")
    if h.routing == "bgp":
        return (f"BGP: the nodes announce their pod ranges; peer the router with every node in AS {h.inputs.asn} "
                "(configurations below), or hold the static routes, so that nodes on other subnets and hosts "
                "outside the cluster reach pods (pods reaching out are masqueraded to their node's address)")
    return ("natively routed pod ranges: nodes on one segment route to each other directly; the router must hold "
            "one route per node (below) for nodes on other subnets and for hosts outside the cluster to reach pods")


def _lines(h: Handoff, md: bool) -> list[str]:
    inp = h.inputs

    def hd(title: str) -> str:
        return f"## {title}" if md else f"{title}:"

    out = [("# " if md else "") + f"Network hand-off: {inp.distribution}"
           + (f", {inp.cni} ({inp.routing})" if inp.cni else f" ({inp.routing})")
           + (f", encryption {inp.encryption}" if inp.encryption else ""), ""]
    out.append(hd("Ports and protocols"))
    if md:
        out += ["", "| protocol/port | to | from | purpose | source |", "|---|---|---|---|---|"]
        out += [f"| {p.label} | {p.to} | {p.source} | {p.purpose} | {p.ref} |" for p in h.ports]
    else:
        width = max(len(p.label) for p in h.ports) if h.ports else 0
        out += [f"  {p.label:<{width}}  to {p.to}, from {p.source}: {p.purpose}  [{p.ref}]" for p in h.ports]
    m = h.mtu
    out += ["", hd("MTU"), f"{'- ' if md else '  '}underlay MTU {m.underlay_mtu}, encapsulation "
            f"{'+'.join(m.encapsulation) or 'none'} adds {m.overhead} bytes: pod MTU {m.pod_mtu}",
            f"{'- ' if md else '  '}for pods to keep 1500 bytes the underlay (every NIC and switch port) needs MTU "
            f"{m.underlay_for_full_pods}"]
    out += ["", hd("Routing"), f"{'- ' if md else '  '}{_routing_words(h)}"]
    if h.routes:
        if md:
            out += ["", "| pod range | via (node address) | node |", "|---|---|---|"]
            out += [f"| {r.prefix} | {r.via} | {r.node} |" for r in h.routes]
        else:
            out += [f"  {r.prefix} via {r.via} ({r.node})" for r in h.routes]
    for name, text in snippets(h).items():
        out += ["", f"{'### ' if md else '--- '}{name}", "```" if md else "", *text.rstrip("\n").split("\n"),
                "```" if md else ""]
    out += ["", hd("DHCP and DNS the nodes expect"), *[f"{'- ' if md else '  '}{d}" for d in h.dhcp]]
    if h.notes:
        out += ["", hd("Notes"), *[f"{'- ' if md else '  '}{n}" for n in h.notes]]
    if h.checks:
        out += ["", hd("Checked against the snapshot")]
        if md:
            out += ["", "| node | requirement | state | detail | fix |", "|---|---|---|---|---|"]
            out += [f"| {s.node} | {s.requirement} | {s.state}{' (' + s.rule + ')' if s.rule else ''} | {s.detail} "
                    f"| {s.fix or ''} |" for s in h.checks]
        else:
            for s in h.checks:
                rule = f" {s.rule}" if s.rule else ""
                out.append(f"  {s.node}: {s.requirement}: {s.state.upper()}{rule}: {s.detail}")
                if s.fix:
                    out.append(f"    fix: {s.fix}")
    return [line for i, line in enumerate(out) if line or (i and out[i - 1])]


def text(h: Handoff) -> str:
    return "\n".join(_lines(h, md=False)) + "\n"


def markdown(h: Handoff) -> str:
    """The Markdown section (also what ``report`` includes)."""
    return "\n".join(_lines(h, md=True)) + "\n"


def render_json(h: Handoff) -> str:
    """:func:`to_json`, indented by two (no final newline)."""
    return json.dumps(to_json(h), indent=2)
