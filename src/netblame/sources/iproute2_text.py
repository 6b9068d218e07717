"""Text (non-JSON) ``ip addr``, ``ip link`` and ``ip route`` output, as people paste it into issues.

Each line is turned into the row ``ip -j`` would print for it (the keys of iproute2's JSON printer:
``ifindex``, ``ifname``, ``flags``, ``mtu``, ``operstate``, ``master``, ``link_type``, ``address``,
``addr_info``; ``dst``, ``gateway``, ``dev``, ``protocol``, ``scope``, ``prefsrc``, ``metric``, ``table``,
``type``), and those rows go through the same parser as the ``ip -j`` import
(:mod:`netblame.sources.iproute2`), so both give the same model. With ``-d`` the device kind line
(``vxlan id 1 ... dstport 8472``, ``veth``, ``bridge``, ``bridge_slave``) is read too; without it a
device's kind is unknown and shown as ``device``.

The text formats are iproute2's (ip/ipaddress.c print_linkinfo and print_addrinfo, ip/iproute.c
print_route; the brief ``-br`` form too). Lines that are neither (shell prompts, ``valid_lft`` lines) are
passed over; a device or route line netblame cannot read is named in a note, and the rest is still read.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import orjson

from netblame.model.origin import Origin
from netblame.model.snapshot import Node, Snapshot
from netblame.sources._base import Document, ReadNote
from netblame.sources.iproute2 import RawNamespace, parse_namespace
from netblame.sources.veth_peers import resolve_peers

_HEADER = re.compile(r"^(\d+):\s+([^\s:@]+)(?:@([^\s:]+))?:\s+<([^>]*)>(.*)$")
_ROUTE_TYPES = frozenset({"unicast", "local", "broadcast", "multicast", "blackhole", "unreachable", "prohibit",
                          "throw", "anycast", "nat"})
_KINDS = frozenset({"veth", "bridge", "vxlan", "ipip", "sit", "dummy", "vlan", "wireguard", "geneve", "macvlan",
                    "ipvlan", "tun", "gre", "gretap", "ip6tnl", "vrf", "bond"})
_SLAVE_KINDS = frozenset({"bridge_slave", "bond_slave", "vrf_slave"})
_ROUTE_WORDS = frozenset({"via", "dev", "proto", "scope", "src", "metric", "table", "mtu", "onlink", "linkdown",
                          "pref", "expires", "advmss", "hoplimit", "initcwnd", "realm", "weight", "nexthop",
                          "rto_min", "quickack", "congctl", "features", "pervasive", "dead", "offload"})
# `ip -br addr` / `ip -br link`: NAME[@PARENT] STATE then addresses, or the MAC and <FLAGS>.
_BRIEF = re.compile(r"^([^\s@]+)(?:@(\S+))?\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|TESTING)\b(.*)$")
_PROMPT = re.compile(r"^\S*[$#>]\s|^\$|^#\s*ip\b|^Kernel IP routing table|^Destination\s+Gateway\s+Genmask")
# net-tools `route` / `route -n` / `netstat -rn`: Destination Gateway Genmask Flags Metric Ref Use Iface
# (without -n, the default route is `default` and a missing gateway is `*`).
_NET_TOOLS = re.compile(r"^(\S+)\s+(\S+)\s+(\d+\.\d+\.\d+\.\d+)\s+([UGHRDMAC!]+)\s+(\d+)\s+\d+\s+\d+\s+(\S+)\s*$")


@dataclass
class Parsed:
    """Rows in ``ip -j`` shape, and the lines that could not be read."""

    links: list[dict[str, Any]] = field(default_factory=list)
    routes: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: {4: [], 6: []})
    unread: list[tuple[int, str]] = field(default_factory=list)
    understood: int = 0


def _pairs(words: list[str]) -> dict[str, str]:
    return {words[i]: words[i + 1] for i in range(len(words) - 1)}


def _header(match: re.Match[str]) -> dict[str, Any]:
    index, name, parent, flags, rest = match.groups()
    words = rest.split()
    pairs = _pairs(words)
    row: dict[str, Any] = {"ifindex": int(index), "ifname": name, "flags": [f for f in flags.split(",") if f]}
    if pairs.get("mtu", "").isdigit():
        row["mtu"] = int(pairs["mtu"])
    for key, word in (("master", "master"), ("operstate", "state")):
        if word in pairs:
            row[key] = pairs[word]
    if parent and parent != "NONE":
        row["link"] = parent
        if parent.startswith("if") and parent[2:].isdigit():
            row["link_index"] = int(parent[2:])
    return row


def _detail(row: dict[str, Any], words: list[str]) -> None:
    """A ``link/...`` line or an ``ip -d`` kind line of the current device."""
    first = words[0]
    if first.startswith("link/"):
        row["link_type"] = first[5:]
        if len(words) > 1 and row["link_type"] in ("ether", "loopback"):
            row["address"] = words[1]
        pairs = _pairs(words)
        if "link-netnsid" in pairs and pairs["link-netnsid"].isdigit():
            row["link_netnsid"] = int(pairs["link-netnsid"])
        return
    info = row.setdefault("linkinfo", {})
    if first in _KINDS:
        info["info_kind"] = first
        data: dict[str, Any] = {}
        pairs = _pairs(words)
        if first == "vxlan":
            for key, name in (("id", "id"), ("local", "local"), ("remote", "remote"), ("group", "group"),
                              ("dev", "link"), ("dstport", "port")):
                if key in pairs:
                    data[name] = int(pairs[key]) if pairs[key].isdigit() else pairs[key]
            data["learning"] = "nolearning" not in words
        info["info_data"] = data
    elif first in _SLAVE_KINDS:
        info["info_slave_kind"] = first.removesuffix("_slave")


def _address(row: dict[str, Any], words: list[str]) -> bool:
    """An ``inet``/``inet6`` line; False when it holds no address."""
    if len(words) < 2:
        return False
    text = words[1]
    peer = _pairs(words).get("peer")
    try:
        interface = ipaddress.ip_interface(text if "/" in text or peer is None else f"{text}/{peer.split('/')[-1]}")
    except ValueError:
        return False
    scope = _pairs(words).get("scope", "global")
    row.setdefault("addr_info", []).append({"family": words[0], "local": str(interface.ip),
                                            "prefixlen": interface.network.prefixlen, "scope": scope})
    return True


def _brief(match: re.Match[str], index: int) -> dict[str, Any]:
    """A line of ``ip -br addr``/``ip -br link`` as the ``ip -j`` row it stands for. The brief form prints no
    index and no scope: devices are numbered in order, and the scope is the kernel's for the address
    (host for loopback addresses, link for link-local ones, global otherwise)."""
    name, parent, state, rest = match.groups()
    row: dict[str, Any] = {"ifindex": index, "ifname": name, "operstate": state, "flags": []}
    if parent and parent != "NONE":
        row["link"] = parent
    for word in rest.split():
        if word.startswith("<") and word.endswith(">"):
            row["flags"] = [f for f in word[1:-1].split(",") if f]
        elif re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}", word):
            row["address"] = word
            row["link_type"] = "loopback" if name == "lo" else "ether"
        else:
            try:
                interface = ipaddress.ip_interface(word)
            except ValueError:
                continue
            scope = "host" if interface.ip.is_loopback else ("link" if interface.ip.is_link_local else "global")
            row.setdefault("addr_info", []).append({
                "family": "inet" if interface.version == 4 else "inet6", "local": str(interface.ip),
                "prefixlen": interface.network.prefixlen, "scope": scope})
    if state == "UP" and "UP" not in row["flags"]:
        row["flags"].append("UP")
    return row


def _net_tools_route(match: re.Match[str]) -> dict[str, Any] | None:
    """A line of ``route -n`` as the ``ip -j route`` row it stands for; None when a name stands where an
    address must (``route`` without ``-n`` prints host names from /etc/hosts or DNS)."""
    destination, gateway, genmask, flags, metric, dev = match.groups()
    try:
        dst = "0.0.0.0" if destination == "default" else str(ipaddress.ip_address(destination))
        prefix = ipaddress.ip_network(f"0.0.0.0/{genmask}").prefixlen
        via = None if gateway in ("*", "0.0.0.0") else str(ipaddress.ip_address(gateway))
    except ValueError:
        return None
    row: dict[str, Any] = {"dst": "default" if prefix == 0 else f"{dst}/{prefix}"}
    if int(metric):
        row["metric"] = int(metric)
    if via is not None and "G" in flags:
        row["gateway"] = via
    # /proc/net/route (what route reads) shows a route without a device as Iface `*`: a reject route
    # (unreachable, prohibit) carries flag `!`, a blackhole route does not.
    if "!" in flags:
        row["type"] = "unreachable"
    elif dev == "*":
        row["type"] = "blackhole"
    if dev != "*":
        row["dev"] = dev
    if via is None and dev != "*":
        row["scope"] = "link"
    return row


def _route(words: list[str]) -> tuple[int, dict[str, Any]] | None:
    """A route line as ``ip -j route`` prints it, and its family; None when it is not one."""
    row: dict[str, Any] = {}
    if words[0] in _ROUTE_TYPES:
        row["type"] = words[0]
        words = words[1:]
    if not words:
        return None
    dst = words[0]
    family = 4
    if dst != "default":
        try:
            family = ipaddress.ip_network(dst, strict=False).version
        except ValueError:
            return None
    rest = words[1:]
    if rest and rest[0] not in _ROUTE_WORDS:
        return None
    pairs = _pairs(rest)
    row["dst"] = dst
    for key, word in (("gateway", "via"), ("dev", "dev"), ("protocol", "proto"), ("scope", "scope"),
                      ("prefsrc", "src"), ("table", "table")):
        if word in pairs:
            row[key] = pairs[word]
    if pairs.get("metric", "").isdigit():
        row["metric"] = int(pairs["metric"])
    if "onlink" in rest:
        row["flags"] = ["onlink"]
    if dst == "default" and ":" in row.get("gateway", ""):
        family = 6
    return family, row


def _top_level(out: Parsed, number: int, line: str) -> dict[str, Any] | None:
    """A line that starts at column 0 and is not a device header: a route (ip or net-tools) or a brief
    device line. Returns the route row, so that ``nexthop`` lines can follow it."""
    net_tools = _NET_TOOLS.match(line)
    if net_tools is not None:
        row = _net_tools_route(net_tools)
        if row is None:
            out.unread.append((number, "a route of `route` output with a name where an address must be "
                                       "(use `route -n` or `ip route`)"))
        else:
            out.routes[4].append(row)
            out.understood += 1
        return None
    brief = _BRIEF.match(line)
    if brief is not None:
        out.links.append(_brief(brief, len(out.links) + 1))
        out.understood += 1
        return None
    route = _route(line.split())
    if route is not None:
        family, row = route
        out.routes[family].append(row)
        out.understood += 1
        return row
    if not _PROMPT.match(line):
        out.unread.append((number, "not a device, address or route line of ip output"))
    return None


def parse_text(text: str) -> Parsed:
    """Rows of every device and route in ``text``."""
    out = Parsed()
    current: dict[str, Any] | None = None
    last_route: dict[str, Any] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        words = line.split()
        if not words:
            continue
        header = _HEADER.match(line)
        if header is not None:
            current = _header(header)
            out.links.append(current)
            out.understood += 1
            continue
        if raw[:1] in (" ", "\t") and current is not None:
            if words[0] in ("inet", "inet6"):
                if not _address(current, words):
                    out.unread.append((number, f"an {words[0]} line without an address"))
                    continue
            elif words[0].startswith("link/") or words[0] in _KINDS or words[0] in _SLAVE_KINDS:
                _detail(current, words)
            out.understood += 1
            continue
        if raw[:1] in (" ", "\t") and last_route is not None and words[0] == "nexthop":
            pairs = _pairs(words)
            hop = {k: pairs[w] for k, w in (("gateway", "via"), ("dev", "dev")) if w in pairs}
            last_route.setdefault("nexthops", []).append(hop)
            out.understood += 1
            continue
        current = None
        last_route = _top_level(out, number, line)
    return out


def looks_like_ip_text(text: str) -> bool:
    """True when most lines are ``ip addr``/``ip link``/``ip route`` output."""
    if text.lstrip()[:1] in ("{", "["):
        return False
    parsed = parse_text(text)
    routes = sum(len(r) for r in parsed.routes.values())
    return (bool(parsed.links) or (routes >= 1 and all(
        "dev" in r or "gateway" in r or "type" in r for rs in parsed.routes.values() for r in rs))) and (
        len(parsed.unread) * 4 <= parsed.understood)


class IpTextSource:
    """``ip addr``, ``ip link`` or ``ip route`` output as text (also several of them in one paste)."""

    kind = "iproute2-text"

    def accepts(self, doc: Document) -> bool:
        return doc.index == 0 and not isinstance(doc.data, dict) and looks_like_ip_text(doc.text)

    def read(self, doc: Document) -> Sequence[object]:
        parsed = parse_text(doc.text)
        texts = {"addr": orjson.dumps(parsed.links).decode(), "route4": orjson.dumps(parsed.routes[4]).decode(),
                 "route6": orjson.dumps(parsed.routes[6]).decode()}
        ns = resolve_peers([parse_namespace(RawNamespace(texts=texts), ns_id="host", role="host")])
        name = PurePath(doc.path).name
        snapshot = Snapshot(source=f"ip text output ({doc.path})", nodes=(Node(name=name, namespaces=tuple(ns)),))
        notes: list[object] = [ReadNote(f"taken as the host namespace of one node, named {name} after the file",
                                        Origin(file=doc.path, line=1))]
        notes += [ReadNote(f"not read: {why}", Origin(file=doc.path, line=n)) for n, why in parsed.unread]
        return [snapshot, *notes]


SOURCES = (IpTextSource(),)
