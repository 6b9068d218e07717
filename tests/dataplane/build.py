"""Hand-built snapshots shaped like a lab: a LAN bridge, nodes with a CNI bridge and pods, and the
node-to-node path of one style (``vxlan`` overlay or ``host-routes``). Addresses and MACs are
deterministic so tests can name them."""

from __future__ import annotations

import ipaddress

import msgspec

from netblame.model.snapshot import (
    Address,
    FdbEntry,
    Link,
    Namespace,
    Neighbour,
    Node,
    PeerRef,
    Route,
    Snapshot,
    Vxlan,
)

LAN_NET = ipaddress.ip_network("192.168.50.0/24")
FORWARDING = {"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "0"}


def mac(*parts: int) -> str:
    """A locally administered MAC from small numbers."""
    p = [*parts, 0, 0, 0][:4]
    return "02:" + ":".join(f"{x:02x}" for x in p) + ":01"


def veth(ifindex: int, name: str, peer_ns: str, peer_name: str, peer_index: int, m: str, *,
         master: str | None = None, mtu: int = 1500) -> Link:
    """A veth end."""
    return Link(ifindex=ifindex, name=name, kind="veth", mtu=mtu, admin_up=True, oper_state="UP", mac=m,
                master=master, peer=PeerRef(namespace=peer_ns, ifname=peer_name, ifindex=peer_index))


def lo() -> Link:
    """The loopback device."""
    return Link(ifindex=1, name="lo", kind="loopback", mtu=65536, admin_up=True, oper_state="UNKNOWN",
                mac="00:00:00:00:00:00")


def node_ip(i: int) -> str:
    """Node ``i``'s uplink address (1-based)."""
    return str(LAN_NET.network_address + 10 + i)


def pod_range(cidr: str, i: int, mask: int) -> ipaddress.IPv4Network:
    """Node ``i``'s pod range."""
    return list(ipaddress.ip_network(cidr).subnets(new_prefix=mask))[i - 1]


def cluster(style: str = "vxlan", nodes: int = 2, pods: int = 2, pod_cidr: str = "10.244.0.0/16",
            node_mask: int = 24) -> Snapshot:
    """A whole lab-shaped snapshot."""
    lan_links = [lo(), Link(ifindex=2, name="br0", kind="bridge", mtu=1500, admin_up=True, oper_state="UP",
                             mac=mac(0xEE))]
    node_objs = []
    for i in range(1, nodes + 1):
        nid = f"n{i}"
        lan_links.append(veth(10 + i, f"p-{nid}", nid, "eth0", 2, mac(0xEE, i), master="br0"))
        node_objs.append(_node(style, i, nodes, pods, pod_cidr, node_mask))
    lan = Namespace(id="lan", role="other", name="lan", links=tuple(lan_links), sysctls=dict(FORWARDING))
    return Snapshot(nodes=(Node(name="lan", role="network", namespaces=(lan,)), *node_objs))


def _node(style: str, i: int, nodes: int, pods: int, pod_cidr: str, mask: int) -> Node:
    nid = f"n{i}"
    rng = pod_range(pod_cidr, i, mask)
    gw = str(rng.network_address + 1)
    links = [lo(), veth(2, "eth0", "lan", f"p-{nid}", 10 + i, mac(i, 0xAA)),
             Link(ifindex=3, name="cni0", kind="bridge", mtu=1500, admin_up=True, oper_state="UP", mac=mac(i, 0xCB))]
    addrs = [Address(dev="lo", family=4, address="127.0.0.1", prefixlen=8, scope="host"),
             Address(dev="eth0", family=4, address=node_ip(i), prefixlen=24),
             Address(dev="cni0", family=4, address=gw, prefixlen=rng.prefixlen)]
    routes = [Route(family=4, table="main", type="unicast", dst=str(LAN_NET), dev="eth0", scope="link",
                    prefsrc=node_ip(i), protocol="kernel"),
              Route(family=4, table="main", type="unicast", dst=str(rng), dev="cni0", scope="link", prefsrc=gw,
                    protocol="kernel")]
    neighbours: list[Neighbour] = []
    fdb: list[FdbEntry] = []
    pod_ns = []
    for j in range(1, pods + 1):
        pid = f"{nid}-p{j}"
        pod_ip = str(rng.network_address + 1 + j)
        links.append(veth(10 + j, f"veth{j}", pid, "eth0", 2, mac(i, 0xBB, j), master="cni0"))
        pod_ns.append(Namespace(
            id=pid, role="pod", name=f"nb-{pid}", pod=pid,
            links=(lo(), veth(2, "eth0", nid, f"veth{j}", 10 + j, mac(i, 0xCC, j))),
            addresses=(Address(dev="eth0", family=4, address=pod_ip, prefixlen=rng.prefixlen),),
            routes=(Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", gateway=gw, dev="eth0"),
                    Route(family=4, table="main", type="unicast", dst=str(rng), dev="eth0", scope="link",
                          prefsrc=pod_ip, protocol="kernel"))))
    for k in range(1, nodes + 1):
        if k == i:
            continue
        other = pod_range(pod_cidr, k, mask)
        if style == "vxlan":
            vtep = str(other.network_address)
            routes.append(Route(family=4, table="main", type="unicast", dst=str(other), gateway=vtep,
                                dev="flannel.1", onlink=True))
            neighbours.append(Neighbour(dst=vtep, dev="flannel.1", lladdr=mac(k, 0xF1), state=("PERMANENT",)))
            fdb.append(FdbEntry(mac=mac(k, 0xF1), dev="flannel.1", dst=node_ip(k), flags=("self",),
                                state="permanent"))
        else:
            routes.append(Route(family=4, table="main", type="unicast", dst=str(other), gateway=node_ip(k),
                                dev="eth0"))
    if style == "vxlan":
        links.append(Link(ifindex=4, name="flannel.1", kind="vxlan", mtu=1450, admin_up=True, oper_state="UNKNOWN",
                          mac=mac(i, 0xF1), vxlan=Vxlan(vni=1, port=8472, local=node_ip(i), underlay_dev="eth0",
                                                        learning=False)))
        addrs.append(Address(dev="flannel.1", family=4, address=str(rng.network_address), prefixlen=32))
    host = Namespace(id=nid, role="host", name=f"nb-{nid}", links=tuple(links), addresses=tuple(addrs),
                     routes=tuple(routes), neighbours=tuple(neighbours), fdb=tuple(fdb), sysctls=dict(FORWARDING))
    return Node(name=nid, namespaces=(host, *pod_ns), pod_cidrs=(str(rng),))


def pod_ip(snap: Snapshot, pod: str) -> str:
    """A pod's address."""
    return next(ns.addresses[0].address for n in snap.nodes for ns in n.namespaces if ns.pod == pod)


def edit_ns(snap: Snapshot, ns_id: str, **changes: object) -> Snapshot:
    """A copy of ``snap`` with one namespace's fields replaced."""
    nodes = []
    for node in snap.nodes:
        spaces = tuple(msgspec.structs.replace(ns, **changes) if ns.id == ns_id else ns for ns in node.namespaces)
        nodes.append(msgspec.structs.replace(node, namespaces=spaces))
    return msgspec.structs.replace(snap, nodes=tuple(nodes))


def ns_of(snap: Snapshot, ns_id: str) -> Namespace:
    """A namespace by id."""
    return snap.namespaces()[ns_id]
