"""``netblame plan`` for people (text) and for tools (``netblame/plan/v1`` JSON)."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from netblame.plan.emit import Emitted, cilium_install_line
from netblame.plan.propose import ClusterPlan

SCHEMA = "netblame/plan/v1"


def to_json(plan: ClusterPlan, files: list[Emitted]) -> dict[str, object]:
    """The plan as ``netblame/plan/v1`` (docs/plan.md)."""
    r = plan.request
    return {
        "schema": SCHEMA,
        "request": {"nodes": r.nodes, "growth": r.growth, "max_pods": r.max_pods, "lan": list(r.lan),
                    "avoid": list(r.avoid), "cni": r.cni, "distribution": r.distribution, "stack": r.stack},
        "families": [{"family": f.family, "pod_cidr": str(f.pod_cidr), "node_mask": f.node_mask,
                      "service_cidr": str(f.service_cidr), "cni_block": f.cni_block,
                      "node_capacity": f.node_capacity, "pods_per_node": f.pods_per_node,
                      "service_addresses": f.service_addresses, "why_pod": f.why_pod, "why_service": f.why_service}
                     for f in plan.families],
        "cluster_dns": plan.dns_ip,
        "dns_domain": plan.dns_domain,
        "avoided": [{"network": str(a.network), "why": a.why} for a in plan.avoided],
        "rejected": [{"choice": x.choice, "reason": x.reason} for x in plan.rejected],
        "cilium_install": cilium_install_line(plan) if r.cni == "cilium" else None,
        "files": [{"name": e.name, "what": e.what, "text": e.text} for e in files],
    }


def _say(console: Console, text: str) -> None:
    """A line as it is: no markup, and no emoji codes (an IPv6 range such as fd00:0:0:100::/56 holds ``:100:``)."""
    console.print(Text(text), soft_wrap=True)


def render(plan: ClusterPlan, files: list[Emitted], console: Console, *, show_files: bool = True) -> None:
    r = plan.request
    _say(console, f"Plan for {r.nodes} node(s) + {r.growth} growth, up to {r.max_pods} pods per node, "
                  f"{r.distribution}{' with ' + r.cni if r.cni else ''}")
    table = Table("family", "pod range", "node mask", "nodes it holds", "pods per node", "service range",
                  "services", box=None, pad_edge=False)
    for f in plan.families:
        table.add_row(*(Text(v) for v in (f"IPv{f.family}", str(f.pod_cidr), f"/{f.node_mask}", str(f.node_capacity),
                                          str(f.pods_per_node), str(f.service_cidr), str(f.service_addresses))))
    console.print(table)
    _say(console, f"cluster DNS: {plan.dns_ip} (10th address of the service range), domain {plan.dns_domain}")
    for f in plan.families:
        _say(console, f"IPv{f.family} pod range: {f.why_pod}; service range: {f.why_service}")
    if plan.avoided:
        _say(console, "kept clear of: " + ", ".join(f"{a.network} ({a.why})" for a in plan.avoided))
    for x in plan.rejected:
        _say(console, f"wrong choice: {x.choice}: {x.reason}")
    if r.cni == "cilium":
        _say(console, f"Cilium CLI: {cilium_install_line(plan)}")
    if show_files:
        for e in files:
            _say(console, f"\n--- {e.name}: {e.what}")
            _say(console, e.text.rstrip("\n"))


def render_json(plan: ClusterPlan, files: list[Emitted]) -> str:
    """:func:`to_json`, indented by two (no final newline)."""
    return json.dumps(to_json(plan, files), indent=2)
