"""Policy routing and per-table longest-prefix match, as the kernel's ``fib_lookup`` does it.

Rules are walked in priority order. ``lookup`` rules consult a table: no match or a ``throw``
route continues with the next rule (the kernel's ``-EAGAIN``); any other route ends the walk,
including ``unreachable``, ``prohibit`` and ``blackhole``. Within a table the longest prefix wins,
then the lowest metric. A namespace without rules in the snapshot gets the kernel's three default
rules (0 local, 32766 main, 32767 default).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from netblame.dataplane.lpm import Lpm, in_prefix, parse_prefix
from netblame.model.snapshot import PolicyRule, Route

TABLE_NAMES = {"255": "local", "254": "main", "253": "default"}
DEFAULT_RULES = (
    (0, "local"),
    (32766, "main"),
    (32767, "default"),
)
# The route types that end a lookup with an error, and the errno a local sender sees.
TERMINAL_TYPES = {"blackhole": "EINVAL", "unreachable": "EHOSTUNREACH", "prohibit": "EACCES"}


def table_name(table: str | int | None) -> str:
    """Canonical table name: ``main``/``local``/``default`` or the number as text."""
    text = "main" if table is None else str(table)
    return TABLE_NAMES.get(text, text)


@dataclass(frozen=True, slots=True)
class NextHop:
    """Where a route sends a packet: a device and, unless directly connected, a gateway."""

    dev: str | None
    gateway: str | None
    onlink: bool = False
    weight: int = 1


@dataclass(frozen=True)
class FibRoute:
    """A route prepared for lookup (no slots: :meth:`describe` caches its text on the instance)."""

    route: Route
    table: str
    type: str
    family: int
    net: int
    plen: int
    nexthops: tuple[NextHop, ...]

    @cached_property
    def text(self) -> str:
        """The route as ``ip route`` prints it (short form), computed once."""
        r = self.route
        parts = [r.dst if r.type == "unicast" else f"{r.type} {r.dst}"]
        if len(self.nexthops) > 1:
            parts += [f"nexthop via {nh.gateway} dev {nh.dev}" for nh in self.nexthops]
        else:
            if r.gateway:
                parts.append(f"via {r.gateway}")
            if r.dev:
                parts.append(f"dev {r.dev}")
        if r.prefsrc:
            parts.append(f"src {r.prefsrc}")
        if r.metric:
            parts.append(f"metric {r.metric}")
        if r.protocol not in ("boot", "kernel", ""):
            parts.append(f"proto {r.protocol}")
        return " ".join(parts) + f" (table {self.table})"

    @cached_property
    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        """The destination as an ``ipaddress`` network (for callers outside the integer core)."""
        if self.family == 4:
            return ipaddress.IPv4Network((self.net, self.plen))
        return ipaddress.IPv6Network((self.net, self.plen))

    def describe(self) -> str:
        """The route as ``ip route`` prints it (short form)."""
        return self.text


def prepare(route: Route) -> FibRoute:
    """A route parsed for lookup (pure: callers may cache it per route object)."""
    if route.nexthops:
        hops = tuple(NextHop(nh.dev or route.dev, nh.gateway, nh.onlink, nh.weight) for nh in route.nexthops)
    elif route.type in ("unicast", "local", "broadcast", "anycast", "multicast"):
        hops = (NextHop(route.dev, route.gateway, route.onlink),)
    else:
        hops = ()
    family, net, plen = parse_prefix(route.dst)
    return FibRoute(route, table_name(route.table), route.type, family, net, plen, hops)


class Table:
    """One routing table, per family."""

    __slots__ = ("lpm", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.lpm: dict[int, Lpm[list[FibRoute]]] = {4: Lpm(4), 6: Lpm(6)}

    def add(self, fr: FibRoute) -> None:
        """Insert a route; routes to the same prefix are kept ordered by metric."""
        lpm = self.lpm[fr.family]
        existing = lpm.get(fr.net, fr.plen)
        if existing is None:
            lpm.insert(fr.net, fr.plen, [fr])
        else:
            existing.append(fr)
            existing.sort(key=lambda r: r.route.metric)

    def lookup(self, family: int, dst: int, oif: str | None = None) -> FibRoute | None:
        """The route for ``dst`` (longest prefix, lowest metric); with ``oif``, only routes through it."""
        if oif is None:
            hit = self.lpm[family].lookup(dst)
            if hit is not None:
                return hit[1][0]
            return None
        for _, routes in self.lpm[family].matches(dst):
            for fr in routes:
                if not fr.nexthops or any(nh.dev == oif for nh in fr.nexthops):
                    return fr
        return None


@dataclass(frozen=True, slots=True)
class Lookup:
    """The outcome of a policy-routing lookup, with every rule consulted on the way: ``(priority, what)``
    where ``what`` is an action name or ``(table, route or None)``."""

    route: FibRoute | None
    rule: PolicyRule | None
    consulted: tuple[tuple[int, str | tuple[str, FibRoute | None]], ...]
    error: str | None = None

    @property
    def type(self) -> str:
        """``unicast``, ``local``, ... or ``none`` when nothing matched."""
        if self.route is not None:
            return self.route.type
        if self.rule is not None and self.rule.action in TERMINAL_TYPES:
            return self.rule.action
        return "none"

    def __str__(self) -> str:
        return self.chain()

    def chain(self) -> str:
        """The rules consulted, in words."""
        parts = []
        for priority, what in self.consulted:
            if isinstance(what, str):
                parts.append(f"rule {priority}: {what}")
                continue
            table, route = what
            if route is None:
                parts.append(f"rule {priority}: table {table}: no match")
            elif route.type == "throw":
                parts.append(f"rule {priority}: table {table}: throw {route.route.dst}")
            else:
                parts.append(f"rule {priority}: table {table}: {route.describe()}")
        return "; ".join(parts) or "no rule matched"


_ANY = ("all", "0.0.0.0/0", "::/0")


def selector(text: str | None) -> tuple[int, int, int] | None:
    """A rule's ``from``/``to`` prefix, or None when it matches every address; ValueError when it does not parse."""
    return None if text is None or text in _ANY else parse_prefix(text)


def _rule_matches(rule: PolicyRule, selectors: tuple[tuple[int, int, int] | None, tuple[int, int, int] | None],
                  family: int, src: int | None, dst: int, iif: str, oif: str | None, mark: int) -> bool:
    ok = True
    src_sel, dst_sel = selectors
    if src_sel is not None:
        f, net, plen = src_sel
        ok = src is not None and f == family and in_prefix(family, src, net, plen)
    if ok and dst_sel is not None:
        f, net, plen = dst_sel
        ok = f == family and in_prefix(family, dst, net, plen)
    if ok and rule.iif is not None:
        ok = rule.iif == iif
    if ok and rule.oif is not None:
        ok = rule.oif == oif
    if ok and rule.fwmark is not None:
        mask = rule.fwmask if rule.fwmask is not None else 0xFFFFFFFF
        ok = ((mark ^ rule.fwmark) & mask) == 0
    return ok != rule.invert


class Fib:
    """A namespace's policy rules and tables."""

    __slots__ = ("compiled", "rules", "tables")

    def __init__(self, routes: Iterable[FibRoute], rules: Iterable[PolicyRule]) -> None:
        self.tables: dict[str, Table] = {}
        for fr in routes:
            table = self.tables.get(fr.table)
            if table is None:
                table = self.tables[fr.table] = Table(fr.table)
            table.add(fr)
        ordered: dict[int, list[PolicyRule]] = {4: [], 6: []}
        for rule in rules:
            ordered[rule.family].append(rule)
        for fam, lst in ordered.items():
            if not lst:
                lst.extend(PolicyRule(family=fam, priority=p, action="lookup", table=t) for p, t in DEFAULT_RULES)  # type: ignore[arg-type]
            lst.sort(key=lambda r: r.priority)
        self.rules = ordered
        # Per rule: its selectors, whether it matches every packet, and its table's name.
        self.compiled = {fam: [(r, (selector(r.src), selector(r.dst)),
                                r.src in (None, *_ANY) and r.dst in (None, *_ANY) and r.iif is None
                                and r.oif is None and r.fwmark is None and not r.invert,
                                table_name(r.table)) for r in lst] for fam, lst in ordered.items()}

    def lookup(self, family: int, dst: int, src: int | None = None, iif: str = "lo", oif: str | None = None,
               mark: int = 0) -> Lookup:
        """Walk the rules for a packet to ``dst`` (``iif="lo"`` for locally generated packets)."""
        consulted: list[tuple[int, str | tuple[str, FibRoute | None]]] = []
        goto: int | None = None
        for rule, selectors, plain, name in self.compiled[family]:
            if goto is not None and rule.priority < goto:
                continue
            goto = None
            if not plain and not _rule_matches(rule, selectors, family, src, dst, iif, oif, mark):
                continue
            if rule.action in TERMINAL_TYPES:
                consulted.append((rule.priority, rule.action))
                return Lookup(None, rule, tuple(consulted), TERMINAL_TYPES[rule.action])
            if rule.action == "goto":
                goto = int(rule.table or 0)
                consulted.append((rule.priority, f"goto {goto}"))
                continue
            if rule.action != "lookup":
                continue
            table = self.tables.get(name)
            route = table.lookup(family, dst, oif) if table is not None else None
            consulted.append((rule.priority, (name, route)))
            if route is None or route.type == "throw":
                continue
            return Lookup(route, rule, tuple(consulted), TERMINAL_TYPES.get(route.type))
        return Lookup(None, None, tuple(consulted), "ENETUNREACH")

