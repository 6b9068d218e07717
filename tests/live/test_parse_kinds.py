"""Device kinds the kernel on the test machines cannot build (IPIP, Geneve, WireGuard, VLAN, dummy) and the
CNI devices of Cilium, Calico and Flannel, parsed from small captures.

The captures are written to iproute2 6.1's JSON output (`ip -j -d addr show`: `linkinfo.info_kind`,
`info_data` as `print_*` in ip/link_iptnl.c, ip/iplink_geneve.c, ip/iplink_vlan.c emit them; WireGuard
has no iproute2 printer, so only the kind shows). They cannot be captured live here: `ip link add ...
type ipip|geneve|wireguard|vlan|dummy` fails with "Unknown device type" on this kernel.
"""

from __future__ import annotations

from netblame.model.snapshot import Link
from netblame.sources.iproute2 import (
    RawNamespace,
    parse_namespace,
    parse_routes,
    parse_rules,
    parse_sysctl_text,
    split_batch,
)

CALICO_NODE = """[
{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"operstate":"UNKNOWN",
 "link_type":"loopback","address":"00:00:00:00:00:00","addr_info":[
 {"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo"}]},
{"ifindex":2,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"operstate":"UP",
 "link_type":"ether","address":"dc:a6:32:01:02:03","addr_info":[
 {"family":"inet","local":"192.168.1.21","prefixlen":24,"scope":"global","label":"eth0"}]},
{"ifindex":3,"link":"eth0","ifname":"eth0.100","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,
 "operstate":"UP","link_type":"ether","address":"dc:a6:32:01:02:03",
 "linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":100,"flags":["REORDER_HDR"]}},"addr_info":[]},
{"ifindex":4,"ifname":"tunl0","flags":["NOARP","UP","LOWER_UP"],"mtu":1480,"operstate":"UNKNOWN",
 "link_type":"ipip","address":"0.0.0.0","broadcast":"0.0.0.0",
 "linkinfo":{"info_kind":"ipip","info_data":{"proto":"ipip","remote":"any","local":"any","ttl":"inherit",
 "pmtudisc":true}},"addr_info":[{"family":"inet","local":"10.244.35.0","prefixlen":32,"scope":"global",
 "label":"tunl0"}]},
{"ifindex":5,"ifname":"vxlan.calico","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,
 "operstate":"UNKNOWN","link_type":"ether","address":"66:8e:1f:aa:bb:cc",
 "linkinfo":{"info_kind":"vxlan","info_data":{"id":4096,"local":"192.168.1.21","link":"eth0","port":4789,
 "learning":false,"ttl":0,"ageing":300}},"addr_info":[]},
{"ifindex":6,"ifname":"wireguard.cali","flags":["POINTOPOINT","NOARP","UP","LOWER_UP"],"mtu":1440,
 "operstate":"UNKNOWN","link_type":"none","linkinfo":{"info_kind":"wireguard"},"addr_info":[]},
{"ifindex":7,"link_index":2,"ifname":"cali12ab34cd56e","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],
 "mtu":1450,"operstate":"UP","link_type":"ether","address":"ee:ee:ee:ee:ee:ee","link_netnsid":0,
 "linkinfo":{"info_kind":"veth"},"addr_info":[]},
{"ifindex":8,"ifname":"dummy0","flags":["BROADCAST","NOARP","UP","LOWER_UP"],"mtu":1500,"operstate":"UNKNOWN",
 "link_type":"ether","address":"9a:1b:2c:3d:4e:5f","linkinfo":{"info_kind":"dummy"},"addr_info":[
 {"family":"inet","local":"10.96.0.10","prefixlen":32,"scope":"global","label":"dummy0"}]}
]"""

CILIUM_NODE = """[
{"ifindex":3,"link":"cilium_host","ifname":"cilium_net","flags":["BROADCAST","MULTICAST","NOARP","UP","LOWER_UP"],
 "mtu":1500,"operstate":"UP","link_type":"ether","address":"2a:ce:14:00:00:01","linkinfo":{"info_kind":"veth"}},
{"ifindex":4,"link":"cilium_net","ifname":"cilium_host","flags":["BROADCAST","MULTICAST","NOARP","UP","LOWER_UP"],
 "mtu":1500,"operstate":"UP","link_type":"ether","address":"2a:ce:14:00:00:02","linkinfo":{"info_kind":"veth"}},
{"ifindex":5,"ifname":"cilium_geneve","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,
 "operstate":"UNKNOWN","link_type":"ether","address":"5e:11:22:33:44:55",
 "linkinfo":{"info_kind":"geneve","info_data":{"external":true,"port":6081,"udp_csum":false}}},
{"ifindex":6,"ifname":"cilium_vxlan","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,
 "operstate":"UNKNOWN","link_type":"ether","address":"5e:11:22:33:44:56",
 "linkinfo":{"info_kind":"vxlan","info_data":{"external":true,"port":8472,"learning":true}}},
{"ifindex":9,"link_index":11,"ifname":"lxc1a2b3c4d5e6f","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],
 "mtu":1500,"operstate":"UP","link_type":"ether","address":"7e:00:00:00:00:09","link_netnsid":3,
 "linkinfo":{"info_kind":"veth"}},
{"ifindex":10,"ifname":"flannel.1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,
 "operstate":"UNKNOWN","link_type":"ether","address":"5e:11:22:33:44:57",
 "linkinfo":{"info_kind":"vxlan","info_data":{"id":1,"local":"192.168.1.22","link":"eth0","port":8472,
 "learning":false}}}
]"""


def _parse(addr: str) -> dict[str, Link]:
    parsed = parse_namespace(RawNamespace(texts={"addr": addr}), ns_id="host", role="host")
    assert not parsed.namespace.errors
    return {lk.name: lk for lk in parsed.namespace.links}


def test_tunnel_vlan_and_dummy_devices_parse() -> None:
    links = _parse(CALICO_NODE)
    tunl, vlan, wg, dummy = links["tunl0"], links["eth0.100"], links["wireguard.cali"], links["dummy0"]
    assert (tunl.kind, tunl.mtu, tunl.mac, tunl.cni) == ("ipip", 1480, None, "calico")
    assert tunl.info["proto"] == "ipip"
    assert (vlan.kind, vlan.info["id"], vlan.info["link"]) == ("vlan", 100, "eth0")
    assert (wg.kind, wg.mtu, wg.cni, wg.mac) == ("wireguard", 1440, "calico", None)
    assert (dummy.kind, dummy.admin_up) == ("dummy", True)
    cali = links["cali12ab34cd56e"]
    assert (cali.cni, cali.peer, cali.info["link_netnsid"]) == ("calico", None, 0)
    vx = links["vxlan.calico"]
    assert vx.cni == "calico" and vx.vxlan.vni == 4096 and vx.vxlan.port == 4789


def test_cilium_and_flannel_devices_are_recognised() -> None:
    links = _parse(CILIUM_NODE)
    assert {n: lk.cni for n, lk in links.items()} == {
        "cilium_net": "cilium", "cilium_host": "cilium", "cilium_geneve": "cilium", "cilium_vxlan": "cilium",
        "lxc1a2b3c4d5e6f": "cilium", "flannel.1": "flannel"}
    host = links["cilium_host"]
    assert host.peer is not None and host.peer.ifname == "cilium_net" and host.peer.ifindex == 3
    assert links["cilium_geneve"].info == {"external": True, "port": 6081, "udp_csum": False}
    vx = links["cilium_vxlan"].vxlan
    assert (vx.vni, vx.port, vx.local, vx.underlay_dev) == (0, 8472, None, None)


def test_routes_of_every_shape() -> None:
    rows = [
        {"type": "unicast", "dst": "default", "gateway": "192.168.1.1", "dev": "eth0", "protocol": "dhcp",
         "metric": 100, "flags": []},
        {"dst": "10.244.1.0/24", "flags": [], "nexthops": [
            {"gateway": "192.168.1.22", "dev": "eth0", "weight": 1, "flags": ["onlink"]},
            {"gateway": "192.168.1.23", "dev": "eth0", "weight": 2, "flags": []}]},
        {"type": "blackhole", "dst": "10.244.0.0/26", "protocol": "bird", "flags": []},
        {"dst": "10.244.2.0/24", "via": {"family": "inet6", "host": "fe80::1"}, "dev": "eth0", "flags": []},
        {"type": "local", "dst": "10.244.35.0", "dev": "tunl0", "table": "local", "scope": "host", "flags": []},
    ]
    r = parse_routes(rows, 4)
    assert [(x.dst, x.type, x.table, x.protocol) for x in r] == [
        ("0.0.0.0/0", "unicast", "main", "dhcp"), ("10.244.1.0/24", "unicast", "main", "boot"),
        ("10.244.0.0/26", "blackhole", "main", "bird"), ("10.244.2.0/24", "unicast", "main", "boot"),
        ("10.244.35.0/32", "local", "local", "boot")]
    assert [(h.gateway, h.weight, h.onlink) for h in r[1].nexthops] == [("192.168.1.22", 1, True),
                                                                        ("192.168.1.23", 2, False)]
    assert r[3].gateway == "fe80::1" and r[0].metric == 100
    v6 = parse_routes([{"dst": "default", "gateway": "fe80::1", "dev": "eth0", "flags": []},
                       {"dst": "fd00::1", "type": "local", "table": "local", "flags": []}], 6)
    assert [x.dst for x in v6] == ["::/0", "fd00::1/128"]


def test_rules_of_every_shape() -> None:
    rows = [
        {"priority": 0, "src": "all", "table": "local"},
        {"priority": 100, "src": "10.244.0.0", "srclen": 16, "dst": "10.96.0.0", "dstlen": 12, "table": "100"},
        {"priority": 200, "not": None, "fwmark": "0x200", "fwmask": "0xf00", "iif": "eth0", "table": "main"},
        {"priority": 300, "src": "all", "action": "unreachable"},
        {"priority": 400, "src": "10.1.2.3", "goto": 500},
    ]
    r = parse_rules(rows, 4)
    assert [(x.priority, x.action, x.table, x.src, x.dst) for x in r] == [
        (0, "lookup", "local", None, None), (100, "lookup", "100", "10.244.0.0/16", "10.96.0.0/12"),
        (200, "lookup", "main", None, None), (300, "unreachable", None, None, None),
        (400, "goto", "500", "10.1.2.3/32", None)]
    assert (r[2].invert, r[2].fwmark, r[2].fwmask, r[2].iif) == (True, 0x200, 0xF00, "eth0")


def test_sysctl_text_in_both_forms() -> None:
    text = "net/ipv4/ip_forward:1\nnet/ipv4/conf/flannel.1/rp_filter:2\nnet.ipv4.conf.all.rp_filter = 1\n\n# x\n"
    assert parse_sysctl_text(text) == {"net.ipv4.ip_forward": "1", "net.ipv4.conf.flannel.1.rp_filter": "2",
                                       "net.ipv4.conf.all.rp_filter": "1"}


def test_batch_output_with_a_missing_answer_is_reported() -> None:
    texts, errors = split_batch("[]\n[{\"nsid\":0}]\n", ["addr", "route4", "route6"], "ns")
    assert texts == {"addr": "[]", "route4": "[{\"nsid\":0}]"}
    assert errors and "expected 3" in errors[0]


def test_bad_json_in_one_kind_keeps_the_rest() -> None:
    raw = RawNamespace(texts={"addr": CALICO_NODE, "neigh": "Error: ???", "fdb": '{"not": "a list"}'})
    ns = parse_namespace(raw, ns_id="n", role="host").namespace
    assert len(ns.links) == 8 and len(ns.errors) == 2
    assert any("neigh" in e for e in ns.errors) and any("fdb" in e for e in ns.errors)
