"""NB307: a VXLAN device without forwarding entries for its peers, or with entries pointing nowhere."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import hosts, ip_cmd, node_nodes, where
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Link, Namespace, Node, Snapshot


def _vteps(snapshot: Snapshot) -> dict[int, list[tuple[Node, Link]]]:
    """VXLAN devices with a VNI and a local address, by VNI."""
    out: dict[int, list[tuple[Node, Link]]] = {}
    for node in node_nodes(snapshot):
        for ns in hosts(node):
            for lk in ns.links:
                if lk.vxlan is not None and lk.vxlan.local and not lk.info.get("external"):
                    out.setdefault(lk.vxlan.vni, []).append((node, lk))
    return out


def _fix(ns: Namespace, dev: str, mac: str, dst: str) -> str:
    return f"`{ip_cmd(ns, 'bridge')} fdb replace {mac} dev {dev} dst {dst} self permanent`"


def _device(vteps: dict[int, list[tuple[Node, Link]]], node: Node, ns: Namespace, lk: Link, known: set[str],
            multi_node: bool) -> Iterator[Diagnostic]:
    assert lk.vxlan is not None
    entries = [f for f in ns.fdb if f.dev == lk.name and f.dst]
    peers = [(n, p) for n, p in vteps.get(lk.vxlan.vni, []) if n.name != node.name]
    reported: set[str] = set()
    for peer_node, peer in peers:
        assert peer.vxlan is not None and peer.vxlan.local is not None
        if any(f.dst == peer.vxlan.local for f in entries):
            continue
        misdirected = [f for f in entries if peer.mac and f.mac == peer.mac]
        reported.update(str(f.dst) for f in misdirected)
        wrong = f"; its VTEP MAC {peer.mac} is sent to {misdirected[0].dst} instead" if misdirected else ""
        yield Diagnostic(
            message=(f"{lk.name} (VNI {lk.vxlan.vni}) has no FDB entry for {peer_node.name}'s VTEP "
                     f"{peer.vxlan.local}{wrong}: encapsulated pod traffic to {peer_node.name} never reaches it"),
            fix=(f"point {peer_node.name}'s VTEP MAC at its underlay address: "
                 f"{_fix(ns, lk.name, peer.mac or '<its VTEP MAC>', peer.vxlan.local)}; then find why the CNI "
                 "agent did not (Flannel writes these entries from the node's annotations)"),
            location=where(node, ns, lk.name),
        )
    if multi_node:
        for f in entries:
            if f.dst not in known and f.dst not in reported:
                yield Diagnostic(
                    message=f"{lk.name} sends MAC {f.mac} to {f.dst}, an address no node in the snapshot has",
                    fix=f"correct or delete it: `{ip_cmd(ns, 'bridge')} fdb del {f.mac} dev {lk.name} dst {f.dst}`",
                    location=where(node, ns, lk.name),
                    severity=Severity.WARNING,
                )
    if not entries and not peers and not (lk.vxlan.remote or lk.vxlan.group):
        yield Diagnostic(
            message=f"{lk.name} (VNI {lk.vxlan.vni}) has no remote, no multicast group and no FDB entries: it "
                    "cannot send anything to any other node",
            fix=f"add an entry per peer node: {_fix(ns, lk.name, '<peer VTEP MAC>', '<peer underlay address>')}, or "
                "check the CNI agent that should maintain them",
            location=where(node, ns, lk.name),
        )


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    known = {a.address for node in snapshot.nodes for ns in node.namespaces for a in ns.addresses}
    vteps = _vteps(snapshot)  # once per snapshot: every VXLAN device of every node looks its peers up in it
    nodes = node_nodes(snapshot)
    for node in nodes:
        for ns in hosts(node):
            for lk in ns.links:
                if lk.vxlan is not None and lk.admin_up and not lk.info.get("external"):
                    yield from _device(vteps, node, ns, lk, known, len(nodes) > 1)


def _wrong_dst(data: Data) -> None:
    host(data, 2)["fdb"][0]["dst"] = "192.168.1.250"


RULE = Rule(
    meta=RuleMeta(
        id="NB307",
        name="vxlan-fdb-missing",
        title="VXLAN device without FDB entries for its peers",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="A VXLAN device has no forwarding-database entry sending a peer node's VTEP to that node's "
                "underlay address, or an entry points at an address no node has.",
        rationale=(
            "A VXLAN device created without learning (as Flannel and Calico create theirs) sends an encapsulated "
            "frame only where its FDB says: the peer's VTEP MAC maps to the peer's underlay address. Without that "
            "entry the frame has no destination and is dropped; with a wrong one it goes to the wrong host. Pod "
            "traffic between the two nodes dies while everything else, including node-to-node pings on the "
            "underlay, keeps working."
        ),
        fix="Add (or correct) the entry for each peer with `bridge fdb replace <VTEP MAC> dev <vxlan dev> dst "
            "<peer underlay address> self permanent`, then find why the CNI agent did not.",
        references=(
            "bridge(8), fdb: dst is the IP address of the destination VXLAN tunnel endpoint",
            "Linux Documentation/networking/vxlan.rst (static FDB entries with learning off)",
            "flannel-io/flannel pkg/backend/vxlan (no learning; FDB and neighbour entries per node)",
        ),
        examples=(
            Example(name="FDB points n1's VTEP at a wrong address", files=(("snap.json", two_nodes(_wrong_dst)),)),
            Example(name="every peer has its entry", files=(("snap.json", two_nodes()),), fires=False),
        ),
    ),
    check=check,
)
