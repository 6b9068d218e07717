"""The snapshot: a node's (or a cluster's) hidden network, as ``netblame/snapshot/v1``.

Typed ``msgspec`` structs, decoded straight from JSON (docs/snapshot-schema.md documents the
format). Names are netblame's own, not the kernel's: the collector translates iproute2's JSON at
its boundary. Readers ignore unknown fields, so newer files still load in older versions.

Identity: every namespace has an ``id`` unique within the snapshot; a veth's ``peer`` names the
peer's namespace by that id. One machine's namespaces may be grouped into several ``Node``\\ s (a lab
puts each simulated node, with its pods, into its own group, and the LAN switch into a ``network``
group), so a peer may live in another group.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

SNAPSHOT_SCHEMA = "netblame/snapshot/v1"

NamespaceRole = Literal["host", "pod", "other"]
NodeRole = Literal["node", "network"]


class PeerRef(msgspec.Struct, frozen=True, kw_only=True):
    """The other end of a veth: its namespace id, device name and ifindex."""

    namespace: str
    ifname: str
    ifindex: int


class Vxlan(msgspec.Struct, frozen=True, kw_only=True):
    """VXLAN parameters of a device (``ip -d link``: ``id``, ``port``, ``local``, ``remote``/``group``)."""

    vni: int
    port: int | None = None
    local: str | None = None
    remote: str | None = None
    group: str | None = None
    underlay_dev: str | None = None
    learning: bool = True


class Link(msgspec.Struct, frozen=True, kw_only=True):
    """A network device.

    ``kind`` is iproute2's ``info_kind`` (``veth``, ``bridge``, ``vxlan``, ``geneve``, ``ipip``,
    ``wireguard``, ``dummy``, ``vlan``, ...), ``loopback`` for ``lo`` and ``device`` for a device
    without one (a physical NIC). ``cni`` names the CNI a device belongs to when recognised by name
    and kind (``cilium``, ``calico``, ``flannel``, ``cni-bridge``). ``info`` keeps the kind's other
    details as iproute2 printed them.
    """

    ifindex: int
    name: str
    kind: str
    mtu: int
    admin_up: bool
    oper_state: str
    mac: str | None = None
    master: str | None = None
    peer: PeerRef | None = None
    vxlan: Vxlan | None = None
    cni: str | None = None
    info: dict[str, Any] = {}


class Address(msgspec.Struct, frozen=True, kw_only=True):
    """An address on a device."""

    dev: str
    family: Literal[4, 6]
    address: str
    prefixlen: int
    scope: str = "global"


class Nexthop(msgspec.Struct, frozen=True, kw_only=True):
    """One branch of a multipath route."""

    gateway: str | None = None
    dev: str | None = None
    weight: int = 1
    onlink: bool = False


class Route(msgspec.Struct, frozen=True, kw_only=True):
    """A route in one table.

    ``dst`` is always a CIDR (``default`` becomes ``0.0.0.0/0`` or ``::/0``); ``type`` is the route
    type (``unicast``, ``local``, ``broadcast``, ``blackhole``, ``unreachable``, ``prohibit``,
    ``throw``, ``multicast``, ``anycast``); ``table`` is ``main``, ``local``, ``default`` or a number.
    """

    family: Literal[4, 6]
    table: str
    type: str
    dst: str
    dev: str | None = None
    gateway: str | None = None
    prefsrc: str | None = None
    scope: str = "global"
    metric: int = 0
    protocol: str = "boot"
    onlink: bool = False
    nexthops: tuple[Nexthop, ...] = ()


class PolicyRule(msgspec.Struct, frozen=True, kw_only=True):
    """A policy routing rule. ``action`` is ``lookup`` (then ``table`` is set), ``blackhole``,
    ``unreachable``, ``prohibit`` or ``goto``."""

    family: Literal[4, 6]
    priority: int
    action: str
    table: str | None = None
    src: str | None = None
    dst: str | None = None
    iif: str | None = None
    oif: str | None = None
    fwmark: int | None = None
    fwmask: int | None = None
    invert: bool = False


class Neighbour(msgspec.Struct, frozen=True, kw_only=True):
    """A neighbour (ARP/NDP) entry; ``state`` as iproute2 prints it (``REACHABLE``, ``PERMANENT``, ...)."""

    dst: str
    dev: str
    lladdr: str | None = None
    state: tuple[str, ...] = ()


class FdbEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A bridge or VXLAN forwarding-database entry (``bridge fdb``).

    For a VXLAN device, ``dst`` is the remote underlay address (``00:00:00:00:00:00`` entries are the
    flood list).
    """

    mac: str
    dev: str
    master: str | None = None
    dst: str | None = None
    vni: int | None = None
    port: int | None = None
    vlan: int | None = None
    flags: tuple[str, ...] = ()
    state: str | None = None


class Holder(msgspec.Struct, frozen=True, kw_only=True):
    """A process holding a namespace, and what it belongs to where that could be learnt."""

    pid: int
    comm: str
    cgroup: str | None = None
    pod_uid: str | None = None
    container_id: str | None = None


class Namespace(msgspec.Struct, frozen=True, kw_only=True):
    """One network namespace and everything in it.

    ``sysctls`` holds the forwarding-relevant keys as ``net.ipv4.ip_forward``,
    ``net.ipv4.conf.all.rp_filter``, ``net.ipv4.conf.<dev>.rp_filter`` and the like, values as strings.
    ``errors`` lists what could not be read (the rest is still there).
    """

    id: str
    role: NamespaceRole
    name: str | None = None
    inode: int | None = None
    pod: str | None = None
    holders: tuple[Holder, ...] = ()
    links: tuple[Link, ...] = ()
    addresses: tuple[Address, ...] = ()
    routes: tuple[Route, ...] = ()
    rules: tuple[PolicyRule, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    fdb: tuple[FdbEntry, ...] = ()
    sysctls: dict[str, str] = {}
    errors: tuple[str, ...] = ()

    def link(self, name: str) -> Link | None:
        """The device called ``name`` here, or None."""
        return next((lk for lk in self.links if lk.name == name), None)


class Node(msgspec.Struct, frozen=True, kw_only=True):
    """A machine (``role="node"``) or a piece of the physical network (``role="network"``, e.g. a lab's
    LAN switch), with its namespaces; ``pod_cidrs`` as the cluster assigned them, when known."""

    name: str
    role: NodeRole = "node"
    namespaces: tuple[Namespace, ...] = ()
    pod_cidrs: tuple[str, ...] = ()


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """A whole snapshot file."""

    schema: str = SNAPSHOT_SCHEMA
    created: str = ""
    source: str = ""
    tool_version: str = ""
    iproute2: str | None = None
    kernel: str | None = None
    nodes: tuple[Node, ...] = ()

    def namespaces(self) -> dict[str, Namespace]:
        """Every namespace by id."""
        return {ns.id: ns for node in self.nodes for ns in node.namespaces}
