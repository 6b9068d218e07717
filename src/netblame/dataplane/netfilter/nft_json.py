"""``nft -j list ruleset`` (libnftables' JSON, json_schema_version 1) -> :mod:`rules` tables.

Tables of the ``ip``, ``ip6`` and ``inet`` families are read (``bridge``, ``arp`` and ``netdev`` tables sit on
hooks the model does not simulate). Comparisons become set lookups (one element for ``==``), so named sets,
anonymous sets, prefixes, ranges and concatenations share one evaluator path; ``vmap`` and ``numgen`` become
targets with branches. An expression the model does not know becomes an ``unknown`` match naming it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import orjson

from netblame.dataplane.netfilter.rules import Chain, Match, Rule, Table, Target
from netblame.errors import InputError

FAMILIES = ("ip", "ip6", "inet")
PAYLOAD_KEYS = {"saddr": "src", "daddr": "dst", "sport": "sport", "dport": "dport", "protocol": "proto",
                "nexthdr": "proto"}
META_KEYS = {"l4proto": "proto", "iifname": "iif", "oifname": "oif", "iif": "iif", "oif": "oif", "mark": "mark"}
# Payload of these protocols implies the protocol (nft adds the dependency and does not list it).
L4 = ("tcp", "udp", "sctp", "udplite", "icmp", "icmpv6")
VERDICTS = {"accept": "accept", "drop": "drop", "return": "return", "continue": "continue"}
REJECT_TYPES = {"tcp reset": "tcp-reset", "icmpx": "icmp-port-unreachable"}
# icmpx's names for its codes that differ from the ICMP code they send over IPv4 (nft(8), REJECT STATEMENT).
ICMPX_CODES = {"no-route": "icmp-net-unreachable"}


def _addr(value: str) -> int | tuple[object, ...]:
    net = ipaddress.ip_network(value, strict=False)
    if net.prefixlen == net.max_prefixlen:
        return int(net.network_address)
    return ("net", net.version, int(net.network_address), net.prefixlen)


def _elem(value: Any) -> object:
    """One element of a set or a right-hand side, in the evaluator's form."""
    if isinstance(value, dict):
        if "prefix" in value:
            p = value["prefix"]
            net = ipaddress.ip_network(f"{p['addr']}/{p['len']}", strict=False)
            return ("net", net.version, int(net.network_address), net.prefixlen)
        if "range" in value:
            lo, hi = (_elem(v) for v in value["range"])
            return ("range", lo, hi)
        if "elem" in value:
            return _elem(value["elem"].get("val"))
        if "concat" in value:
            return tuple(_elem(v) for v in value["concat"])
        raise ValueError(f"element {next(iter(value), '')}")
    if isinstance(value, str):
        try:
            return _addr(value)
        except ValueError:
            return value
    return value


def _key(left: Any) -> str | None:
    """The packet field a left-hand side reads, or None."""
    if not isinstance(left, dict):
        return None
    if "payload" in left:
        return str(PAYLOAD_KEYS.get(str(left["payload"].get("field")), "")) or None
    if "meta" in left:
        return str(META_KEYS.get(str(left["meta"].get("key")), "")) or None
    return None


def _match_text(v: Any) -> str:
    op = "" if v.get("op") in ("==", "in") else f"{v.get('op')} "
    return f"{_describe(v.get('left'))} {op}{_describe(v.get('right'))}"


def _set_text(v: Any) -> str:
    """An anonymous set (a list), or the statement that adds to a named one (``update @s { ip saddr }``)."""
    if isinstance(v, list):
        return "{ " + ", ".join(_describe(x) for x in v) + " }"
    if isinstance(v, dict):
        return f"{v.get('op')} {v.get('set')} {{ {_describe(v.get('elem'))} }}"
    return str(v)


def _nat_text(k: str, v: Any) -> str:
    port = f":{v['port']}" if "port" in v else ""
    return f"{k} to {v.get('addr', '')}{port}"


# How each expression reads in nft's own syntax (compact: for naming a rule in a message).
_TEXT: dict[str, Callable[[str, Any], str]] = {
    "match": lambda k, v: _match_text(v),
    "payload": lambda k, v: f"{v.get('protocol')} {v.get('field')}",
    "meta": lambda k, v: f"meta {v.get('key')}",
    "ct": lambda k, v: f"ct {v.get('key')}",
    "fib": lambda k, v: f"fib {' . '.join(v.get('flags', []))} {v.get('result')}",
    "prefix": lambda k, v: f"{v['addr']}/{v['len']}",
    "range": lambda k, v: "-".join(str(x) for x in v),
    "set": lambda k, v: _set_text(v),
    "concat": lambda k, v: " . ".join(_describe(x) for x in v),
    "jump": lambda k, v: f"jump {v.get('target')}",
    "goto": lambda k, v: f"goto {v.get('target')}",
    "dnat": _nat_text,
    "snat": _nat_text,
    "vmap": lambda k, v: f"{_describe(v.get('key'))} vmap {_describe(v.get('data'))}",
    "numgen": lambda k, v: f"numgen {v.get('mode')} mod {v.get('mod')}",
    "mangle": lambda k, v: f"{_describe(v.get('key'))} set {_describe(v.get('value'))}",
    "reject": lambda k, v: "reject" + (f" with {v.get('type')} {v.get('expr', '')}".rstrip() if v else ""),
    "&": lambda k, v: " & ".join(_describe(x) for x in v),
    "|": lambda k, v: " | ".join(_describe(x) for x in v),
    "^": lambda k, v: " ^ ".join(_describe(x) for x in v),
}


def _describe(expr: Any) -> str:
    """An expression as compact nft-like text (for messages)."""
    if isinstance(expr, dict) and len(expr) == 1:
        k, v = next(iter(expr.items()))
        text = _TEXT.get(str(k))
        return text(str(k), v) if text is not None and v is not None else str(k)
    if isinstance(expr, list) and len(expr) == 2 and isinstance(expr[1], dict) and \
            next(iter(expr[1]), "") in ("jump", "goto", *VERDICTS):
        return f"{_describe(expr[0])} : {_describe(expr[1])}"
    if isinstance(expr, list):
        return "{ " + ", ".join(_describe(x) for x in expr) + " }"
    return str(expr)


class _Rule:
    """One rule's expressions, turned into matches and a target."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.matches: list[Match] = []
        self.target = Target("continue")
        self.probability: float | None = None

    def match(self, m: dict[str, Any]) -> None:
        op, left, right = m.get("op", "=="), m.get("left"), m.get("right")
        negate = op == "!="
        key = _key(left)
        if isinstance(left, dict) and "payload" in left and left["payload"].get("protocol") in L4:
            self.matches.append(Match("set", (frozenset({(left["payload"]["protocol"],)}), ("proto",))))
        if isinstance(left, dict) and left.get("payload", {}).get("protocol") == "icmp" and \
                left["payload"].get("field") == "type":
            vals = right["set"] if isinstance(right, dict) and "set" in right else [right]
            self.matches.append(Match("icmp_type", tuple(str(v) for v in vals), negate))
            return
        if isinstance(left, dict) and "ct" in left and left["ct"].get("key") in ("state", "status"):
            vals = right if isinstance(right, list) else [right]
            names = {"new": "NEW", "established": "ESTABLISHED", "related": "RELATED", "invalid": "INVALID",
                     "untracked": "UNTRACKED", "dnat": "DNAT", "snat": "SNAT"}
            self.matches.append(Match("ctstate", tuple(names.get(str(v), str(v).upper()) for v in vals), negate))
            return
        if isinstance(left, dict) and "fib" in left and left["fib"].get("result") == "type":
            which = "dst_type" if "daddr" in left["fib"].get("flags", []) else "src_type"
            vals = right if isinstance(right, list) else [right]
            vals = vals[0]["set"] if len(vals) == 1 and isinstance(vals[0], dict) and "set" in vals[0] else vals
            self.matches.append(Match(which, tuple(str(v).upper() for v in vals), negate))
            return
        if isinstance(left, dict) and "&" in left:
            inner, mask = left["&"]
            if _key(inner) == "mark" and isinstance(mask, int) and isinstance(right, int):
                self.matches.append(Match("mark", (right, mask), negate))
                return
        if isinstance(left, dict) and left.get("meta", {}).get("key") == "nfproto":
            vals = right if isinstance(right, list) else [right]
            self.matches.append(Match("nfproto", tuple(str(v) for v in vals), negate))
            return
        if key in ("iif", "oif") and isinstance(right, str):
            self.matches.append(Match(key, (right,), negate))
            return
        if key == "mark" and isinstance(right, int):
            self.matches.append(Match("mark", (right, 0xFFFFFFFF), negate))
            return
        keys: tuple[str, ...] | None = (key,) if key else None
        if isinstance(left, dict) and "concat" in left:
            parts = tuple(_key(x) for x in left["concat"])
            keys = None if None in parts else parts  # type: ignore[assignment]
        if keys is None:
            self.matches.append(Match("unknown", (_describe(left),)))
            return
        if isinstance(right, str) and right.startswith("@"):
            self.matches.append(Match("set", (right[1:], keys), negate))
            return
        items = right["set"] if isinstance(right, dict) and "set" in right else [right]
        elements = frozenset(_as_key(_elem(x), len(keys)) for x in items)
        self.matches.append(Match("set", (elements, keys), negate))

    def statement(self, s: dict[str, Any]) -> None:
        k, v = next(iter(s.items()))
        if k == "match":
            self.match(v)
        elif k in VERDICTS:
            self.target = Target(VERDICTS[k])
        elif k in ("jump", "goto"):
            self.target = Target(k, str(v.get("target")))
        elif k == "reject":
            kind = (v or {}).get("type", "icmpx")
            expr = (v or {}).get("expr")
            # ``reject with icmpx admin-prohibited`` (firewalld's zones) sends admin-prohibited, not the
            # port-unreachable of a bare ``reject``.
            what = (REJECT_TYPES[kind] if kind == "tcp reset" or expr is None
                    else ICMPX_CODES.get(expr) or f"icmp-{expr}")
            self.target = Target("reject", what)
        elif k in ("dnat", "snat"):
            addr = v.get("addr")
            port = v.get("port")
            if (addr is not None and not isinstance(addr, str)) or (port is not None and not isinstance(port, int)):
                self.target = Target("unknown", f"{k} to a map")
                return
            a = int(ipaddress.ip_address(addr)) if addr else None
            self.target = Target(k, to=(a, port, port))
        elif k in ("masquerade", "redirect"):
            port = (v or {}).get("port")
            self.target = Target(k, to=(None, port, port) if isinstance(port, int) else None)
        elif k == "mangle":
            self.mangle(v)
        elif k == "vmap":
            self.vmap(v)
        elif k == "notrack":
            self.target = Target("notrack")
        elif k in ("counter", "log", "limit", "quota"):
            return
        elif k == "set" and isinstance(v, dict) and v.get("op") in ("add", "update"):
            # Adds this packet's key to a dynamic set (kube-proxy's session affinity): later connections may
            # match it, this packet's fate does not change.
            return
        elif k == "xt":
            self.matches.append(Match("unknown", (f"xt {v.get('name', '')} (an iptables-nft extension)",)))
        else:
            self.matches.append(Match("unknown", (k,)))

    def mangle(self, v: dict[str, Any]) -> None:
        key, value = v.get("key", {}), v.get("value")
        target = "mark" if _key(key) == "mark" else ("connmark" if key.get("ct", {}).get("key") == "mark" else "")
        if not target:
            self.matches.append(Match("unknown", (f"set {_describe(key)}",)))
            return
        if isinstance(value, int):
            self.target = Target(target, "set", value=value, mask=0xFFFFFFFF)
        elif isinstance(value, dict) and "|" in value and isinstance(value["|"][1], int):
            self.target = Target(target, "set", value=value["|"][1], mask=value["|"][1])
        elif isinstance(value, dict) and "^" in value and isinstance(value["^"][1], int):
            self.target = Target(target, "set", value=value["^"][1], mask=0)
        elif isinstance(value, dict) and "&" in value and isinstance(value["&"][1], int):
            self.target = Target(target, "set", value=0, mask=~value["&"][1] & 0xFFFFFFFF)
        elif isinstance(value, dict) and "meta" in value and target == "connmark":
            self.target = Target("connmark", "save")
        elif isinstance(value, dict) and "ct" in value and target == "mark":
            self.target = Target("connmark", "restore")
        else:
            self.matches.append(Match("unknown", (f"set {_describe(key)} to {_describe(value)}",)))

    def vmap(self, v: dict[str, Any]) -> None:
        key, data = v.get("key"), v.get("data")
        if isinstance(key, dict) and "numgen" in key:
            branches = tuple((_as_key(_elem(e), 1), self._verdict(t)) for e, t in (data or {}).get("set", []))
            self.target = Target("numgen", branches=branches)
            return
        parts = key["concat"] if isinstance(key, dict) and "concat" in key else [key]
        keys = tuple(_key(x) for x in parts)
        if None in keys:
            self.matches.append(Match("unknown", (f"vmap on {_describe(key)}",)))
            return
        if isinstance(data, str) and data.startswith("@"):
            self.target = Target("vmap", data[1:], keys=keys)  # type: ignore[arg-type]
        else:
            items = (data or {}).get("set", [])
            branches = tuple((_as_key(_elem(e), len(keys)), self._verdict(t)) for e, t in items)
            self.target = Target("vmap", None, keys=keys, branches=branches)  # type: ignore[arg-type]

    @staticmethod
    def _verdict(t: Any) -> Target:
        k, v = next(iter(t.items()))
        if k in ("jump", "goto"):
            return Target(k, str(v.get("target")))
        return Target(VERDICTS.get(k, "unknown"), None if k in VERDICTS else k)


def _as_key(e: object, width: int) -> tuple[object, ...]:
    """An element as a lookup key: a concatenation stays a tuple, anything else becomes a 1-tuple."""
    concat = isinstance(e, tuple) and bool(e) and e[0] not in ("net", "range")
    return e if concat and width > 1 else (e,)  # type: ignore[return-value]


def parse_nft_json(text: str, where: str = "nft -j list ruleset") -> list[Table]:
    """The ip/ip6/inet tables of ``nft -j list ruleset`` output; InputError when it is not that."""
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not JSON ({exc}); expected `nft -j list ruleset` output", file=where) from None
    items = doc.get("nftables") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise InputError("no top-level \"nftables\" list; expected `nft -j list ruleset` output", file=where)
    tables: dict[tuple[str, str], Table] = {}
    rules: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or len(item) != 1:
            raise InputError(f"item {n} is not an object with one key", file=where)
        kind, body = next(iter(item.items()))
        if kind == "metainfo" or str(body.get("family")) not in FAMILIES:
            continue
        name = str(body.get("table") if kind != "table" else body.get("name"))
        tkey = (str(body["family"]), name)
        if kind == "table":
            tables[tkey] = Table("nft", tkey[0], name)
            continue
        table = tables.get(tkey)
        if table is None:
            raise InputError(f"item {n}: {kind} in undeclared table {tkey[0]} {name}", file=where)
        try:
            _item(table, kind, body, rules)
        except (ValueError, KeyError, TypeError, AttributeError, StopIteration) as exc:
            raise InputError(f"item {n} ({kind} {body.get('name', '')}): cannot read {exc}", file=where) from None
    for body in rules:
        table = tables[(str(body["family"]), str(body["table"]))]
        chain = table.chains.get(str(body.get("chain")))
        if chain is None:
            raise InputError(f"rule {body.get('handle')} in undeclared chain {body.get('chain')}", file=where)
        r = _Rule(table)
        try:
            for s in body.get("expr", []):
                r.statement(s)
        except (ValueError, KeyError, TypeError, AttributeError, StopIteration) as exc:
            raise InputError(f"rule {body.get('handle')} in chain {chain.name}: cannot read {exc}",
                             file=where) from None
        text = " ".join(_describe(s) for s in body.get("expr", []))
        if body.get("comment"):
            text += f' comment "{body["comment"]}"'
        chain.rules.append(Rule(tuple(r.matches), r.target, f"{text} (handle {body.get('handle')})"))
    return list(tables.values())


def _item(table: Table, kind: str, body: dict[str, Any], rules: list[dict[str, Any]]) -> None:
    if kind == "chain":
        chain = Chain(str(body["name"]), table.label)
        if "hook" in body:
            chain.hook = str(body["hook"])
            chain.priority = int(body.get("prio", 0))
            chain.policy = str(body.get("policy", "accept"))
            chain.kind = str(body.get("type", "filter"))
        table.chains[chain.name] = chain
    elif kind == "set":
        table.sets[str(body["name"])] = {_as_key(_elem(e), 2) for e in body.get("elem", [])}
    elif kind == "map":
        width = len(body["type"]) if isinstance(body.get("type"), list) else 1
        if body.get("map") == "verdict":
            table.maps[str(body["name"])] = tuple((_as_key(_elem(k), width), _Rule._verdict(v))
                                                  for k, v in body.get("elem", []))
    elif kind == "rule":
        rules.append(body)
