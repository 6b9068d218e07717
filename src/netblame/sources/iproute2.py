"""iproute2 / bridge JSON -> snapshot structs. Pure: text and dicts in, model out.

Live collection (:mod:`netblame.live.live`) and offline import (:mod:`netblame.live.offline`) both
hand this module the same pieces of text, one per object kind, exactly as ``ip -j -d ...`` and
``bridge -j -d fdb show`` print them (iproute2 6.1; older and newer releases differ only in optional
keys, which are tolerated). iproute2's JSON has no schema contract, so every key is optional here and
unknown keys are ignored.

Defaults follow iproute2's printer: without ``-d`` it leaves out ``type unicast``, ``table main``,
``protocol boot`` and ``scope global``; those are the model's defaults, so both forms parse equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec
import orjson

from netblame.errors import InputError
from netblame.model.snapshot import (
    Address,
    FdbEntry,
    Holder,
    IptablesDump,
    Link,
    Namespace,
    NamespaceRole,
    Neighbour,
    Netfilter,
    Nexthop,
    PeerRef,
    PolicyRule,
    Route,
    Vxlan,
)
from netblame.sources.veth_peers import Parsed, PendingPeer

# The texts of one namespace are keyed by kind: ``addr`` (or ``link``), ``route4``, ``route6``, ``rule4``,
# ``rule6``, ``neigh``, ``nsid`` (``ip netns list-id``) and ``fdb``.
# Keys of iproute2's link details that count down on their own; kept out so snapshots compare equal.
_VOLATILE = re.compile(r"_timer$")

Family = Literal[4, 6]


@dataclass
class RawNamespace:
    """What was captured in one namespace: iproute2 JSON text per kind, sysctls, and read errors."""

    texts: dict[str, str] = field(default_factory=dict)
    sysctls: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    nsid_ids: dict[int, str] = field(default_factory=dict)
    """nsids of unnamed namespaces, resolved live to namespace ids (``ip netns list-id`` cannot name them)."""
    strict: bool = False
    files: dict[str, str] = field(default_factory=dict)
    """The file each kind's text came from (an imported capture), for messages."""
    """Raise on a text that is not what ``ip -j`` prints (an imported capture), instead of noting it."""


def unnamed_nsids(nsid_json: str) -> set[int]:
    """nsids that ``ip -j netns list-id`` printed without a name."""
    try:
        rows = loads_list(nsid_json, "nsid")
    except InputError:
        return set()
    return {_int(r.get("nsid"), -1) for r in rows if not _str(r.get("name"))} - {-1}


def loads_list(text: str, what: str) -> list[dict[str, Any]]:
    """One iproute2 JSON array; an empty text is an empty list."""
    if not text.strip():
        return []
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{what}: not valid JSON ({exc.msg}); expected the output of `ip -j ...`") from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise InputError(f"{what}: expected a JSON array of objects as `ip -j` prints")
    for index, row in enumerate(data):
        _check_types(row, f"{what}: item {index}")
    return data


# The JSON type of every key this module reads whose value it uses as more than a number. iproute2 gives
# each key one type in every object it prints (ip/ipaddress.c, ip/iproute.c, ip/ipneigh.c, bridge/fdb.c),
# so a key of another type is a damaged capture, told apart here rather than met as a crash later.
_STRINGS = frozenset({"ifname", "dev", "dst", "gateway", "master", "link", "operstate", "address", "link_type",
                      "local", "prefsrc", "lladdr", "mac", "iif", "oif", "info_kind", "info_slave_kind",
                      "src", "host", "scope", "protocol", "action", "name"})
_STRING_LISTS = frozenset({"flags"})  # "state" is a list in neigh, text in fdb: read by _words
_OBJECTS = frozenset({"linkinfo", "info_data", "info_slave_data", "via"})
_OBJECT_LISTS = frozenset({"addr_info", "nexthops"})
_LINKINFO_KEYS = frozenset({"info_kind", "info_slave_kind", "info_data", "info_slave_data"})
_NESTED_KEYS = frozenset({"local", "dev", "gateway", "flags", "via"})
_TYPE_NAMES = {str: "text", int: "a number", float: "a number", bool: "true or false", list: "a list",
               dict: "an object", type(None): "null"}


def _check_types(obj: dict[str, Any], where: str) -> None:
    """Raise InputError naming the first key of ``obj`` (or of an object nested in it) of the wrong type."""
    for key, value in obj.items():
        if value is None:
            continue
        expected = None
        if key in _STRINGS and not isinstance(value, str | int):
            expected = "text"
        elif key in _STRING_LISTS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            expected = "a list of words"
        elif key == "state" and not (isinstance(value, str) or (isinstance(value, list)
                                                             and all(isinstance(v, str) for v in value))):
            expected = "a word or a list of words"
        elif key in _OBJECTS and not isinstance(value, dict):
            expected = "an object"
        elif key in _OBJECT_LISTS and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            expected = "a list of objects"
        if expected is not None:
            got = ("a list holding other values" if isinstance(value, list) and "list" in expected
                   else _TYPE_NAMES.get(type(value), "another type"))
            raise InputError(f"{where}: field {key!r} is {got}; expected {expected}, as `ip -j` prints it")
        if key == "linkinfo":  # its info_data and info_slave_data hold per-kind keys, read with care
            _check_types({k: v for k, v in value.items() if k in _LINKINFO_KEYS}, f"{where}.{key}")
        elif key in _OBJECT_LISTS:
            for i, item in enumerate(value):
                _check_types({k: v for k, v in item.items() if k in _NESTED_KEYS}, f"{where}.{key}[{i}]")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            return default
    return default


def _words(value: Any) -> tuple[str, ...]:
    """A list of words (iproute2 prints some flags as a list, some as one word); () for anything else."""
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(str(v) for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _cidr(text: str, family: Family, prefixlen: int | None = None) -> str:
    if text in ("default", "all", "any"):
        return "0.0.0.0/0" if family == 4 else "::/0"
    if "/" in text:
        return text
    if prefixlen is None:
        prefixlen = 32 if family == 4 else 128
    return f"{text}/{prefixlen}"


# --- links -----------------------------------------------------------------------------------------

_CILIUM = {"cilium_host", "cilium_net", "cilium_vxlan", "cilium_geneve", "cilium_ipip4", "cilium_ipip6", "cilium_wg0"}
_CALICO = {"vxlan.calico", "vxlan-v6.calico", "wireguard.cali", "wg-v6.cali"}
_FLANNEL = re.compile(r"^flannel(-v6)?\.\d+$")


def recognise_cni(name: str, kind: str, admin_up: bool = True) -> str | None:
    """The CNI a device belongs to, by name and kind (docs/snapshot-schema.md lists the sources)."""
    if name in _CILIUM or (name.startswith("lxc") and kind == "veth"):
        return "cilium"
    if name in _CALICO or (name.startswith("cali") and kind == "veth") or (name == "tunl0" and admin_up):
        return "calico"
    if _FLANNEL.match(name) and kind == "vxlan":
        return "flannel"
    if name == "cni0" and kind == "bridge":
        return "cni-bridge"
    return None


def _stable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not _VOLATILE.search(k)}


def _vxlan(data: Mapping[str, Any]) -> Vxlan:
    return Vxlan(
        vni=_int(data.get("id")),
        port=_int(data["port"]) if "port" in data else None,
        local=_str(data.get("local")) or _str(data.get("local6")),
        remote=_str(data.get("remote")) or _str(data.get("remote6")),
        group=_str(data.get("group")) or _str(data.get("group6")),
        underlay_dev=_str(data.get("link")),
        learning=bool(data.get("learning", True)),
    )


def parse_links(items: Iterable[Mapping[str, Any]], ns_id: str) -> tuple[list[Link], list[PendingPeer]]:
    """Devices of one namespace (``ip -j -d link`` or ``addr``), and veth peers still to resolve."""
    rows = list(items)
    by_name = {str(r.get("ifname")): _int(r.get("ifindex")) for r in rows}
    links: list[Link] = []
    pending: list[PendingPeer] = []
    for row in rows:
        name = str(row.get("ifname", ""))
        flags = row.get("flags") or []
        info = row.get("linkinfo") or {}
        kind = _str(info.get("info_kind")) or ("loopback" if row.get("link_type") == "loopback" else "device")
        admin_up = "UP" in flags
        ifindex = _int(row.get("ifindex"))
        peer: PeerRef | None = None
        details: dict[str, Any] = _stable(info.get("info_data") or {})
        if kind == "veth":
            if "link_netnsid" in row and "link_index" in row:
                pending.append(PendingPeer(name, ifindex, _int(row["link_index"]), _int(row["link_netnsid"])))
                details.update(link_index=_int(row["link_index"]), link_netnsid=_int(row["link_netnsid"]))
            elif _str(row.get("link")) in by_name:
                peer_name = str(row["link"])
                peer = PeerRef(namespace=ns_id, ifname=peer_name, ifindex=by_name[peer_name])
        elif _str(row.get("link")):
            details["link"] = row["link"]  # the lower device of a VLAN, an IPIP tunnel bound to a device...
        if info.get("info_slave_kind"):
            details["slave_kind"] = info["info_slave_kind"]
            details["slave"] = _stable(info.get("info_slave_data") or {})
        links.append(Link(
            ifindex=ifindex,
            name=name,
            kind=kind,
            mtu=_int(row.get("mtu")),
            admin_up=admin_up,
            oper_state=str(row.get("operstate", "UNKNOWN")),
            lower_up="LOWER_UP" in flags,
            mac=_str(row.get("address")) if row.get("link_type") in ("ether", "loopback") else None,
            master=_str(row.get("master")),
            peer=peer,
            vxlan=_vxlan(info.get("info_data") or {}) if kind == "vxlan" else None,
            cni=recognise_cni(name, kind, admin_up),
            info=details,
        ))
    masters = {lk.name: lk.cni for lk in links}
    links = [_inherit_cni(lk, masters) for lk in links]
    return links, pending


def _inherit_cni(link: Link, masters: Mapping[str, str | None]) -> Link:
    """A port of a CNI bridge belongs to that CNI (the bridge plugin's host-side veths)."""
    if link.cni is None and link.master is not None and masters.get(link.master) == "cni-bridge":
        return msgspec.structs.replace(link, cni="cni-bridge")
    return link


def parse_addresses(items: Iterable[Mapping[str, Any]]) -> list[Address]:
    """Addresses from ``ip -j addr`` (``addr_info`` of every device)."""
    out: list[Address] = []
    for row in items:
        dev = str(row.get("ifname", ""))
        for info in row.get("addr_info") or []:
            local = _str(info.get("local"))
            fam = info.get("family")
            if local is None or fam not in ("inet", "inet6"):
                continue
            out.append(Address(dev=dev, family=4 if fam == "inet" else 6, address=local,
                               prefixlen=_int(info.get("prefixlen")), scope=str(info.get("scope", "global"))))
    return out


# --- routes, rules, neighbours, fdb --------------------------------------------------------------------

def _gateway(row: Mapping[str, Any]) -> str | None:
    gw = _str(row.get("gateway"))
    if gw is None and isinstance(row.get("via"), dict):
        gw = _str(row["via"].get("host"))
    return gw


def parse_routes(items: Iterable[Mapping[str, Any]], family: Family) -> list[Route]:
    """Routes of every table from ``ip -j -d route show table all`` for one family."""
    out: list[Route] = []
    for row in items:
        dst = _str(row.get("dst"))
        if dst is None:
            continue
        flags = row.get("flags") or []
        hops = tuple(
            Nexthop(gateway=_gateway(h), dev=_str(h.get("dev")), weight=_int(h.get("weight"), 1),
                    onlink="onlink" in (h.get("flags") or []))
            for h in row.get("nexthops") or [] if isinstance(h, dict)
        )
        out.append(Route(
            family=family,
            table=str(row.get("table", "main")),
            type=str(row.get("type", "unicast")),
            dst=_cidr(dst, family),
            dev=_str(row.get("dev")),
            gateway=_gateway(row),
            prefsrc=_str(row.get("prefsrc")),
            scope=str(row.get("scope", "global")),
            metric=_int(row.get("metric")),
            protocol=str(row.get("protocol", "boot")),
            onlink="onlink" in flags,
            nexthops=hops,
        ))
    return out


def _selector(row: Mapping[str, Any], key: str, family: Family) -> str | None:
    text = _str(row.get(key))
    if text is None or text == "all":
        return None
    return _cidr(text, family, _int(row[f"{key}len"]) if f"{key}len" in row else None)


def parse_rules(items: Iterable[Mapping[str, Any]], family: Family) -> list[PolicyRule]:
    """Policy rules from ``ip -j rule show`` (one family)."""
    out: list[PolicyRule] = []
    for row in items:
        action = _str(row.get("action")) or ("goto" if "goto" in row else "lookup")
        table = _str(row.get("table")) if action == "lookup" else (str(row["goto"]) if "goto" in row else None)
        out.append(PolicyRule(
            family=family,
            priority=_int(row.get("priority")),
            action=action,
            table=table,
            src=_selector(row, "src", family),
            dst=_selector(row, "dst", family),
            iif=_str(row.get("iif")),
            oif=_str(row.get("oif")),
            fwmark=_int(row["fwmark"]) if "fwmark" in row else None,
            fwmask=_int(row["fwmask"]) if "fwmask" in row else None,
            invert="not" in row,
        ))
    return out


def parse_neighbours(items: Iterable[Mapping[str, Any]]) -> list[Neighbour]:
    """Neighbour entries from ``ip -j neigh show`` (both families)."""
    return [Neighbour(dst=str(r["dst"]), dev=str(r.get("dev", "")), lladdr=_str(r.get("lladdr")),
                      state=_words(r.get("state")))
            for r in items if _str(r.get("dst"))]


FDB_KINDS = frozenset({"bridge", "vxlan"})


def forwards_by_fdb(links: Iterable[Link]) -> bool:
    """True when a namespace has anything whose forwarding an FDB decides: a bridge, a bridge port, a VXLAN."""
    return any(lk.kind in FDB_KINDS or lk.master is not None for lk in links)


def parse_fdb(items: Iterable[Mapping[str, Any]], fdb_devices: frozenset[str] | None = None) -> list[FdbEntry]:
    """Bridge and VXLAN forwarding entries from ``bridge -j -d fdb show``.

    ``bridge fdb`` also lists every device's own multicast addresses (``33:33:...``, ``01:00:5e:...``, flag
    ``self``); on a device that is neither a bridge nor a VXLAN device (``fdb_devices``) those decide no
    forwarding and are left out, so a namespace without such devices needs no ``bridge`` run at all.
    """
    rows = [r for r in items if _str(r.get("mac"))]
    if fdb_devices is not None:
        rows = [r for r in rows if r.get("master") or r.get("dst") or r.get("ifname", r.get("dev")) in fdb_devices]
    return [FdbEntry(
        mac=str(r["mac"]),
        dev=str(r.get("ifname", r.get("dev", ""))),
        master=_str(r.get("master")),
        dst=_str(r.get("dst")),
        vni=_int(r["vni"]) if "vni" in r else None,
        port=_int(r["port"]) if "port" in r else None,
        vlan=_int(r["vlan"]) if "vlan" in r else None,
        flags=tuple(str(f) for f in r.get("flags") or ()),
        state=_str(r.get("state")),
    ) for r in rows]


def parse_sysctl_text(text: str) -> dict[str, str]:
    """Sysctls as ``grep -r . net/...`` prints them under /proc/sys (``net/ipv4/ip_forward:1``) or as
    ``sysctl`` prints them (``net.ipv4.ip_forward = 1``)."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if " = " in line:
            key, value = line.split(" = ", 1)
        elif ":" in line:
            key, value = line.split(":", 1)
        else:
            continue
        key = key.strip().removeprefix("/proc/sys/")
        out[key.replace("/", ".") if "/" in key else key] = value.strip()
    return out


# --- one namespace ---------------------------------------------------------------------------------

NETFILTER_KINDS = {"iptables-nft": ("nft", 4), "ip6tables-nft": ("nft", 6), "iptables-legacy": ("legacy", 4),
                   "ip6tables-legacy": ("legacy", 6)}


def netfilter_of(texts: dict[str, str]) -> Netfilter | None:
    """The packet filters among a namespace's captured texts (None when none was captured)."""
    dumps = tuple(IptablesDump(backend=b, family=f, text=texts[k])  # type: ignore[arg-type]
                  for k, (b, f) in NETFILTER_KINDS.items() if texts.get(k, "").strip())
    if "nft" not in texts and not dumps:
        return None
    nft = texts.get("nft") or ""
    return Netfilter(nft=nft if '"table"' in nft else None, iptables=dumps)


def parse_namespace(raw: RawNamespace, *, ns_id: str, role: NamespaceRole, name: str | None = None,
                    inode: int | None = None, holders: Sequence[Holder] = (), pod: str | None = None) -> Parsed:
    """Turn the captured texts of one namespace into a :class:`Namespace` (peers still pending).

    A kind that is missing or unreadable is recorded in ``errors``; the rest is still parsed.
    """
    errors = list(raw.errors)

    def items(kind: str) -> list[dict[str, Any]]:
        text = raw.texts.get(kind)
        if text is None:
            return []
        try:
            return loads_list(text, raw.files.get(kind, f"{ns_id}: {kind}"))
        except InputError as exc:
            if raw.strict:
                raise
            errors.append(str(exc))
            return []

    link_rows = items("link") if "link" in raw.texts and "addr" not in raw.texts else items("addr")
    links, pending = parse_links(link_rows, ns_id)
    nsid_names = {_int(r.get("nsid")): str(r["name"]) for r in items("nsid") if _str(r.get("name"))}
    ns = Namespace(
        id=ns_id, role=role, name=name, inode=inode, pod=pod, holders=tuple(holders),
        links=tuple(links),
        addresses=tuple(parse_addresses(link_rows)),
        routes=(*parse_routes(items("route4"), 4), *parse_routes(items("route6"), 6)),
        rules=(*parse_rules(items("rule4"), 4), *parse_rules(items("rule6"), 6)),
        neighbours=tuple(parse_neighbours(items("neigh"))),
        fdb=tuple(parse_fdb(items("fdb"), frozenset(lk.name for lk in links if lk.kind in FDB_KINDS))),
        sysctls=dict(sorted(raw.sysctls.items())),
        netfilter=netfilter_of(raw.texts),
        errors=tuple(errors),
    )
    return Parsed(ns, pending, nsid_names, dict(raw.nsid_ids))


def split_batch(text: str, kinds: Sequence[str], what: str) -> tuple[dict[str, str], list[str]]:
    """Split ``ip -j -batch -`` output (one JSON array per command, one per line) by kind."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    errors: list[str] = []
    if len(lines) != len(kinds):
        errors.append(f"{what}: expected {len(kinds)} JSON outputs from the batch, got {len(lines)}")
    return dict(zip(kinds, lines, strict=False)), errors
