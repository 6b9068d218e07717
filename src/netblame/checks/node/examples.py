"""Small snapshots for the NB3xx rules' examples: two Flannel-like nodes (VXLAN ``flannel.1``, bridge ``cni0``,
one pod each), written with only the fields that matter (readers fill in the defaults).

Each rule's examples start from :func:`two_nodes` and change the one thing the rule is about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

Data = dict[str, Any]
Tweak = Callable[[Data], None]


def _node(i: int, other: int) -> Data:
    host, pod = f"n{i}", f"n{i}-p1"
    return {
        "name": host,
        "pod_cidrs": [f"10.244.{i}.0/24"],
        "namespaces": [
            {"id": host, "role": "host", "name": host,
             "links": [
                 {"ifindex": 1, "name": "eth0", "kind": "device", "mtu": 1500, "admin_up": True, "oper_state": "UP"},
                 {"ifindex": 2, "name": "flannel.1", "kind": "vxlan", "mtu": 1450, "admin_up": True,
                  "oper_state": "UNKNOWN", "mac": f"0e:00:00:00:00:0{i}", "cni": "flannel",
                  "vxlan": {"vni": 1, "port": 8472, "local": f"192.168.1.1{i}", "underlay_dev": "eth0",
                            "learning": False}},
                 {"ifindex": 3, "name": "cni0", "kind": "bridge", "mtu": 1450, "admin_up": True, "oper_state": "UP"},
                 {"ifindex": 4, "name": "veth1", "kind": "veth", "mtu": 1450, "admin_up": True, "oper_state": "UP",
                  "master": "cni0", "peer": {"namespace": pod, "ifname": "eth0", "ifindex": 2}}],
             "addresses": [
                 {"dev": "eth0", "family": 4, "address": f"192.168.1.1{i}", "prefixlen": 24},
                 {"dev": "flannel.1", "family": 4, "address": f"10.244.{i}.0", "prefixlen": 32},
                 {"dev": "cni0", "family": 4, "address": f"10.244.{i}.1", "prefixlen": 24}],
             "routes": [
                 {"family": 4, "table": "main", "type": "unicast", "dst": "192.168.1.0/24", "dev": "eth0",
                  "scope": "link"},
                 {"family": 4, "table": "main", "type": "unicast", "dst": f"10.244.{i}.0/24", "dev": "cni0",
                  "scope": "link"},
                 {"family": 4, "table": "main", "type": "unicast", "dst": f"10.244.{other}.0/24",
                  "gateway": f"10.244.{other}.0", "dev": "flannel.1", "onlink": True}],
             "fdb": [{"mac": f"0e:00:00:00:00:0{other}", "dev": "flannel.1", "dst": f"192.168.1.1{other}",
                      "flags": ["self"], "state": "permanent"}],
             "sysctls": {"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "2"}},
            {"id": pod, "role": "pod", "name": pod, "pod": pod,
             "links": [{"ifindex": 2, "name": "eth0", "kind": "veth", "mtu": 1450, "admin_up": True,
                        "oper_state": "UP", "peer": {"namespace": host, "ifname": "veth1", "ifindex": 4}}],
             "addresses": [{"dev": "eth0", "family": 4, "address": f"10.244.{i}.2", "prefixlen": 24}],
             "routes": [{"family": 4, "table": "main", "type": "unicast", "dst": "0.0.0.0/0",
                         "gateway": f"10.244.{i}.1", "dev": "eth0"}]},
        ],
    }


def base() -> Data:
    """The healthy two-node snapshot, as data."""
    return {"schema": "netblame/snapshot/v1", "source": "example", "nodes": [_node(1, 2), _node(2, 1)]}


def host(data: Data, node: int) -> Data:
    """Node ``node``'s own namespace (1-based)."""
    ns: Data = data["nodes"][node - 1]["namespaces"][0]
    return ns


def link(ns: Data, name: str) -> Data:
    """A device of a namespace, by name."""
    found: Data = next(lk for lk in ns["links"] if lk["name"] == name)
    return found


_EXPAND = {"nodes", "namespaces", None}


def _dump(value: Any, indent: int = 0, key: str | None = None) -> str:
    """JSON with one line per device, address, route and the like (readable in a doc page)."""
    pad = " " * indent
    if isinstance(value, dict) and key in _EXPAND:
        items = [f"{pad}  {orjson.dumps(k).decode()}: {_dump(v, indent + 2, k)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        items = [f"{pad}  {_dump(v, indent + 2, key)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return orjson.dumps(value).decode()


def two_nodes(*tweaks: Tweak) -> str:
    """The example snapshot with ``tweaks`` applied, as the JSON text of a ``snap.json`` file."""
    data = base()
    for tweak in tweaks:
        tweak(data)
    return _dump(data) + "\n"
