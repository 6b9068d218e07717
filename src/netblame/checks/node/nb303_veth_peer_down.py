"""NB303: a veth whose other end is down or gone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import ip_cmd, where
from netblame.checks.node.examples import Data, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Link, Namespace, Node, Snapshot


def _peer(namespaces: Mapping[str, Namespace], lk: Link) -> tuple[Namespace, Link] | None:
    if lk.peer is None:
        return None
    ns = namespaces.get(lk.peer.namespace)
    found = ns.link(lk.peer.ifname) if ns is not None else None
    return (ns, found) if ns is not None and found is not None else None


def _one(namespaces: Mapping[str, Namespace], live: bool, node: Node, ns: Namespace, lk: Link) -> Diagnostic | None:
    peer = _peer(namespaces, lk)
    if peer is not None and not peer[1].admin_up:
        peer_ns, peer_link = peer
        return Diagnostic(
            message=(f"veth {lk.name} is up but its peer {peer_link.name} in netns {peer_ns.name or peer_ns.id} is "
                     f"down: nothing sent through {lk.name} arrives"
                     + (f" (pod {peer_ns.pod} is cut off)" if peer_ns.pod else "")),
            fix=f"bring the peer up: `{ip_cmd(peer_ns)} link set dev {peer_link.name} up`; if the pod is gone, "
                f"remove the stale end: `{ip_cmd(ns)} link del {lk.name}`",
            location=where(node, ns, lk.name),
        )
    if peer is None and lk.oper_state == "DOWN":
        return Diagnostic(
            message=f"veth {lk.name} is up but has no carrier: its peer (ifindex "
                    f"{lk.info.get('link_index', '?')} in another namespace) is down",
            fix=f"bring the peer up in its namespace (`ip link set dev <peer> up` there), or remove the stale veth: "
                f"`{ip_cmd(ns)} link del {lk.name}`",
            location=where(node, ns, lk.name),
        )
    if peer is None and "link_netnsid" in lk.info and live:
        return Diagnostic(
            message=f"veth {lk.name}'s peer lives in a namespace (nsid {lk.info['link_netnsid']} as seen from here) "
                    "that no process or name holds any more: a leftover of a pod that is gone",
            fix=f"remove it: `{ip_cmd(ns)} link del {lk.name}` (the container runtime's CNI DEL did not run)",
            location=where(node, ns, lk.name),
            severity=Severity.WARNING,
        )
    return None


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    namespaces = snapshot.namespaces()  # once per snapshot, not once per veth
    live = snapshot.source == "live"
    for node in snapshot.nodes:
        for ns in node.namespaces:
            for lk in ns.links:
                if lk.kind == "veth" and lk.admin_up:
                    found = _one(namespaces, live, node, ns, lk)
                    if found is not None:
                        yield found


def _pod_down(data: Data) -> None:
    pod = data["nodes"][1]["namespaces"][1]
    pod["links"][0]["admin_up"] = False
    pod["links"][0]["oper_state"] = "DOWN"
    data["nodes"][1]["namespaces"][0]["links"][3]["oper_state"] = "DOWN"


RULE = Rule(
    meta=RuleMeta(
        id="NB303",
        name="veth-peer-down",
        title="veth whose peer is down or gone",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="One end of a veth pair is up, the other is down (or its namespace is gone).",
        rationale=(
            "A veth pair is a virtual cable: packets sent into one end come out of the other. When either end "
            "is down the pair has no carrier, so the pod behind it cannot send or receive anything, although "
            "the host side still looks configured (address, bridge port, routes). A veth whose peer's namespace "
            "is gone is a leftover of a pod whose teardown did not complete."
        ),
        fix="Bring the down end up (the finding gives the command in the right namespace), or delete the stale "
            "veth if its pod no longer exists.",
        references=(
            "veth(4): when either device of the pair is down, the link state of the pair is down "
            "(https://man7.org/linux/man-pages/man4/veth.4.html)",
        ),
        examples=(
            Example(name="pod end of a veth set down", files=(("snap.json", two_nodes(_pod_down)),)),
            Example(name="both ends up", files=(("snap.json", two_nodes()),), fires=False),
        ),
    ),
    check=check,
)
