"""Node-rule cases the documented examples do not show: other tunnel kinds and families, the host's own
namespace, a veth whose peer's namespace is gone, a default route that hides a missing pod route."""

from __future__ import annotations

import json
from collections.abc import Callable

from netblame.checks import default_registry
from netblame.checks.node.examples import Data, base, host, link
from netblame.findings import Finding, Severity
from netblame.sources.snapshot import decode_snapshot


def run(rule: str, *tweaks: Callable[[Data], None], source: str = "example") -> list[Finding]:
    data = base()
    data["source"] = source
    for tweak in tweaks:
        tweak(data)
    registered = default_registry().get(rule)
    assert registered is not None
    return list(registered.run(decode_snapshot(json.dumps(data))))


def test_nb301_overheads_per_kind_and_family() -> None:
    def tunnel(kind: str, mtu: int, info: dict[str, object], under: int = 1500) -> Callable[[Data], None]:
        def tweak(data: Data) -> None:
            ns = host(data, 1)
            link(ns, "eth0")["mtu"] = under
            ns["links"].append({"ifindex": 9, "name": "t0", "kind": kind, "mtu": mtu, "admin_up": True,
                                "oper_state": "UNKNOWN", "info": info})
        return tweak

    assert run("NB301", tunnel("ipip", 1480, {"link": "eth0"})) == []
    assert len(run("NB301", tunnel("ipip", 1481, {"link": "eth0"}))) == 1
    assert run("NB301", tunnel("wireguard", 1440, {"link": "eth0"})) == []
    assert len(run("NB301", tunnel("wireguard", 1441, {"link": "eth0"}))) == 1
    v6 = {"local": "fd00::1"}

    def v6_addr(data: Data) -> None:
        host(data, 1)["addresses"].append({"dev": "eth0", "family": 6, "address": "fd00::1", "prefixlen": 64})

    assert run("NB301", v6_addr, tunnel("geneve", 1430, v6)) == []
    (found,) = run("NB301", v6_addr, tunnel("geneve", 1450, v6))
    assert "over IPv6 adds 70 bytes" in found.message and "mtu 1430" in found.fix
    assert run("NB301", tunnel("geneve", 1500, {"external": True})) == [], "collect-metadata devices: MTU via routes"


def test_nb302_only_a_default_route_is_a_warning() -> None:
    def default_only(data: Data) -> None:
        ns = host(data, 1)
        ns["routes"] = [r for r in ns["routes"] if r["dst"] != "10.244.2.0/24"] + [
            {"family": 4, "table": "main", "type": "unicast", "dst": "0.0.0.0/0", "gateway": "192.168.1.1",
             "dev": "eth0"}]

    (found,) = run("NB302", default_only)
    assert found.severity == Severity.WARNING and "only its default route (via 192.168.1.1 dev eth0)" in found.message
    assert "via 192.168.1.12 dev eth0" in found.fix and "`netblame handoff`" in found.fix


def _routed_by(*router_routes: str) -> Callable[[Data], None]:
    """Both nodes reach each other's pods only through a default route to a router at 192.168.1.1, which the
    snapshot holds (a lab's ``lan`` piece) with ``router_routes`` (pod range -> node address)."""
    def tweak(data: Data) -> None:
        for i, other in ((1, 2), (2, 1)):
            ns = host(data, i)
            ns["routes"] = [r for r in ns["routes"] if r["dst"] != f"10.244.{other}.0/24"] + [
                {"family": 4, "table": "main", "type": "unicast", "dst": "0.0.0.0/0", "gateway": "192.168.1.1",
                 "dev": "eth0"}]
        routes = [{"family": 4, "table": "main", "type": "unicast", "dst": "192.168.1.0/24", "dev": "br0",
                   "scope": "link"}]
        routes += [{"family": 4, "table": "main", "type": "unicast", "dst": dst, "gateway": gw, "dev": "br0"}
                   for dst, gw in (r.split(" via ") for r in router_routes)]
        data["nodes"].append({"name": "lan", "role": "network", "namespaces": [
            {"id": "lan", "role": "host", "name": "lan",
             "links": [{"ifindex": 1, "name": "br0", "kind": "bridge", "mtu": 1500, "admin_up": True,
                        "oper_state": "UP"}],
             "addresses": [{"dev": "br0", "family": 4, "address": "192.168.1.1", "prefixlen": 24}],
             "routes": routes}]})
    return tweak


def test_nb302_follows_a_default_route_to_a_router_the_snapshot_holds() -> None:
    both = _routed_by("10.244.1.0/24 via 192.168.1.11", "10.244.2.0/24 via 192.168.1.12")
    assert run("NB302", both) == [], "the router routes each node's pod range to its node"
    (found,) = run("NB302", _routed_by("10.244.1.0/24 via 192.168.1.11"))
    assert found.severity == Severity.ERROR and found.location.object == "node n1 / netns n1"
    assert "router it leads to, 192.168.1.1, has no route to that range" in found.message
    assert "route 10.244.2.0/24 to n2 on the router" in found.fix


def test_nb302_a_default_route_to_the_other_node_itself_reaches_it() -> None:
    def gateway_is_n2(data: Data) -> None:
        ns = host(data, 1)
        ns["routes"] = [r for r in ns["routes"] if r["dst"] != "10.244.2.0/24"] + [
            {"family": 4, "table": "main", "type": "unicast", "dst": "0.0.0.0/0", "gateway": "192.168.1.12",
             "dev": "eth0"}]

    assert run("NB302", gateway_is_n2) == []


def test_nb302_ranges_behind_an_unknown_router_are_one_finding_per_node() -> None:
    def many(data: Data) -> None:
        for i in range(3, 9):  # six more nodes that n1 reaches only by its default route
            data["nodes"].append({"name": f"n{i}", "pod_cidrs": [f"10.244.{i}.0/24"], "namespaces": [
                {"id": f"n{i}", "role": "host", "name": f"n{i}", "links": [], "routes": [],
                 "addresses": [{"dev": "eth0", "family": 4, "address": f"192.168.1.{20 + i}", "prefixlen": 24}]}]})
        host(data, 1)["routes"].append({"family": 4, "table": "main", "type": "unicast", "dst": "0.0.0.0/0",
                                        "gateway": "192.168.1.1", "dev": "eth0"})

    found = [f for f in run("NB302", many) if f.location.object == "node n1 / netns n1"]
    assert len(found) == 1 and found[0].severity == Severity.WARNING
    assert "pod ranges of 6 other node(s) (n3 10.244.3.0/24, n4 10.244.4.0/24, n5 10.244.5.0/24 and 3 more)" \
        in found[0].message


def test_nb303_peer_namespace_gone_only_in_a_live_snapshot() -> None:
    def dangling(data: Data) -> None:
        veth = link(host(data, 1), "veth1")
        veth["peer"] = None
        veth["info"] = {"link_index": 2, "link_netnsid": 7}

    assert run("NB303", dangling, source="import:cap") == []
    (found,) = run("NB303", dangling, source="live")
    assert found.severity == Severity.WARNING and "ip -n n1 link del veth1" in found.fix


def test_nb304_ipv6_pods_need_ipv6_forwarding() -> None:
    def v6_pod(data: Data) -> None:
        pod = data["nodes"][0]["namespaces"][1]
        pod["addresses"].append({"dev": "eth0", "family": 6, "address": "fd10::2", "prefixlen": 64})
        host(data, 1)["sysctls"]["net.ipv6.conf.all.forwarding"] = "0"

    (found,) = run("NB304", v6_pod)
    assert "net.ipv6.conf.all.forwarding" in found.message
    assert "ip netns exec n1 sysctl -w net.ipv6.conf.all.forwarding=1" in found.fix


def test_nb307_a_lone_vxlan_device_without_entries() -> None:
    def alone(data: Data) -> None:
        del data["nodes"][1]
        host(data, 1)["fdb"] = []

    (found,) = run("NB307", alone)
    assert "no remote, no multicast group and no FDB entries" in found.message

    def with_group(data: Data) -> None:
        alone(data)
        link(host(data, 1), "flannel.1")["vxlan"]["group"] = "239.1.1.1"

    assert run("NB307", with_group) == []
