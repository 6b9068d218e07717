"""NB305: strict reverse-path filtering on a device where the return path leaves by another device."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import (
    IPAddr,
    fib,
    hosts,
    lookup,
    node_nodes,
    out_dev,
    pod_addresses,
    pod_ranges,
    sysctl_cmd,
    where,
)
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.dataplane import sysctl
from netblame.dataplane.rpf import STRICT, reverse_path
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Namespace, Node, Snapshot


def rp_filter(ns: Namespace, dev: str) -> int | None:
    """The effective rp_filter of ``dev`` as the trace model reads it (None when the snapshot lacks it)."""
    setting = sysctl.rp_filter(ns, dev)
    return setting.value if setting.known else None


def _sample(node: Node) -> IPAddr | None:
    pods = [ip for _, ip in pod_addresses(node) if ip.version == 4]
    if pods:
        return pods[0]
    ranges = [n for n in pod_ranges(node) if n.version == 4 and n.num_addresses > 2]
    return ranges[0].network_address + 2 if ranges else None


def arrival_dev(sender: Namespace, receiver: Namespace, dst: IPAddr) -> str | None:
    """The device of ``receiver`` that ``sender``'s packets for ``dst`` come in on, when the snapshot shows it:
    through a tunnel (the receiver's tunnel device with the same VNI) or to one of the receiver's addresses."""
    found = lookup(sender, dst)
    dev = out_dev(found)
    if found is None or dev is None:
        return None
    tunnel = sender.link(dev)
    if tunnel is not None and tunnel.vxlan is not None:
        return next((lk.name for lk in receiver.links if lk.vxlan and lk.vxlan.vni == tunnel.vxlan.vni), None)
    gateway = next((h.gateway for h in found.nexthops if h.gateway), None)
    return next((a.dev for a in receiver.addresses if gateway and a.address == gateway), None)


def _may_be_strict(ns: Namespace) -> bool:
    """False when no device of ``ns`` can be in strict mode: the effective value is the larger of ``all`` and
    the device's, so it is 1 only where one of them is 1."""
    return any(key.startswith("net.ipv4.conf.") and key.endswith(".rp_filter") and value.strip().isdigit()
               and int(value) == STRICT for key, value in ns.sysctls.items())


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    nodes = node_nodes(snapshot)
    samples = {node.name: _sample(node) for node in nodes}
    for node in nodes:
        mine = samples[node.name]
        for ns in hosts(node):
            if not _may_be_strict(ns):
                continue
            for other in nodes:
                theirs = samples[other.name]
                if other.name == node.name or mine is None or theirs is None:
                    continue
                for sender in hosts(other):
                    came_in = arrival_dev(sender, ns, mine)
                    if came_in is None or rp_filter(ns, came_in) != STRICT:
                        continue
                    rp = reverse_path(fib(ns), sysctl.rp_filter(ns, came_in), came_in, int(theirs), int(mine))
                    goes_out = out_dev(rp.back) if rp is not None else None
                    if rp is None or not rp.wrong_device or goes_out is None:
                        continue
                    yield Diagnostic(
                        message=(f"strict rp_filter on {came_in}: traffic from {other.name}'s pods (e.g. {theirs}) "
                                 f"arrives on {came_in}, but {node.name}'s route back to them leaves by {goes_out}; "
                                 f"the kernel drops every such packet as spoofed"),
                        fix=(f"use loose mode: `{sysctl_cmd(ns, 'net.ipv4.conf.all.rp_filter=2')}` and "
                             f"`{sysctl_cmd(ns, f'net.ipv4.conf.{came_in}.rp_filter=2')}` (persist in "
                             "/etc/sysctl.d), or make the route back leave by the device the traffic arrives on"),
                        location=where(node, ns, came_in),
                    )


def _asymmetric(data: Data) -> None:
    n2 = host(data, 2)
    n2["sysctls"]["net.ipv4.conf.all.rp_filter"] = "1"
    n2["links"].append({"ifindex": 9, "name": "rtr0", "kind": "veth", "mtu": 1500, "admin_up": True,
                        "oper_state": "UP"})
    n2["addresses"].append({"dev": "rtr0", "family": 4, "address": "172.31.0.2", "prefixlen": 30})
    n2["routes"] = [r for r in n2["routes"] if r["dst"] != "10.244.1.0/24"] + [
        {"family": 4, "table": "main", "type": "unicast", "dst": "172.31.0.0/30", "dev": "rtr0", "scope": "link"},
        {"family": 4, "table": "main", "type": "unicast", "dst": "10.244.1.0/24", "gateway": "172.31.0.1",
         "dev": "rtr0"}]


def _strict_symmetric(data: Data) -> None:
    host(data, 2)["sysctls"]["net.ipv4.conf.all.rp_filter"] = "1"


RULE = Rule(
    meta=RuleMeta(
        id="NB305",
        name="rp-filter-strict-asymmetric",
        title="Strict rp_filter on an asymmetric path",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="rp_filter is 1 (strict) on a device where pod traffic from another node arrives, while the "
                "route back to that node's pods leaves by a different device.",
        rationale=(
            "In strict mode the kernel accepts a packet only if its route back to the packet's source leaves by "
            "the device the packet came in on; otherwise it drops it silently as spoofed. Overlays, policy "
            "routing, a second uplink or a router in the path easily make pod traffic asymmetric, and then one "
            "direction of every connection between two nodes' pods disappears, with no log line and no ICMP "
            "error. The effective value is the larger of conf/all/rp_filter and conf/<device>/rp_filter."
        ),
        fix="Set rp_filter to 2 (loose) on the node (all and the device), or make the return route leave by the "
            "device the traffic arrives on.",
        references=(
            "Linux Documentation/networking/ip-sysctl.rst, rp_filter: 0 no validation, 1 strict (RFC 3704), "
            "2 loose; the max of conf/{all,interface}/rp_filter is used",
        ),
        examples=(
            Example(name="replies leave through a router, strict mode", files=(("snap.json", two_nodes(_asymmetric)),)),
            Example(name="strict mode on a symmetric path", files=(("snap.json", two_nodes(_strict_symmetric)),),
                    fires=False),
        ),
    ),
    check=check,
)
