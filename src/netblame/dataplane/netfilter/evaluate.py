"""Running a hook's chains for a new connection's first packet, as the kernel does.

On one hook the base chains of every table run in priority order; each ends in a verdict (``accept`` lets
the next chain run, ``drop``/``reject`` end the packet). Within a chain rules run in order: ``jump`` calls a
chain (``return`` or its end comes back), ``goto`` replaces the current one. NAT binds once per direction: the
first destination NAT (PREROUTING/OUTPUT) or source NAT (POSTROUTING/INPUT) wins and later nat chains on that
hook are skipped; a packet of an established connection (a reply) passes no nat chain at all. A rule with a
statistic or numgen match forks the packet's fate (one outcome per branch); a match or target the model does not
know ends the evaluation as ``unknown``, naming the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from netblame.dataplane.lpm import format_ip, in_prefix
from netblame.dataplane.netfilter.rules import Chain, Match, Rule, Ruleset, Table, Target

MAX_DEPTH = 64
DNAT_HOOKS = ("prerouting", "output")


@dataclass(slots=True)
class Conn:
    """What a packet carries through the hooks: its tuple (as translated so far), marks and conntrack flags."""

    family: int
    src: int
    dst: int
    proto: str
    sport: int | None
    dport: int | None
    iif: str | None = None
    oif: str | None = None
    mark: int = 0
    ctmark: int = 0
    dnat: bool = False
    snat: bool = False
    untracked: bool = False
    established: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    """Something a hook did worth a step: ``what`` is ``filter`` (a verdict), ``nat``, ``mark``, ``branch`` or
    ``unknown``."""

    what: str
    text: str
    facts: tuple[tuple[str, object], ...] = ()


@dataclass(slots=True)
class Outcome:
    """One way a hook can end: ``verdict`` (``accept``, ``drop``, ``reject``, ``unknown``), the packet after
    it, and what happened on the way. ``rule``/``where`` name what decided a drop or an unknown."""

    verdict: str
    conn: Conn
    notes: list[Note] = field(default_factory=list)
    where: str = ""
    rule: str = ""
    reject_with: str | None = None


@dataclass(frozen=True, slots=True)
class Host:
    """What the evaluator needs to know about the namespace: address types and NAT's choice of addresses."""

    addrtype: Callable[[int, int], str]
    masquerade_src: Callable[[str | None], int | None]
    redirect_dst: Callable[[str | None], int | None]


PROTO_NUMBERS = {"icmp": "1", "tcp": "6", "udp": "17", "sctp": "132", "icmpv6": "58", "ipv6-icmp": "58"}


def _iface(pattern: str, name: str | None) -> bool:
    if name is None:
        return False
    if pattern.endswith(("+", "*")):
        return name.startswith(pattern[:-1])
    return name == pattern


def _port(ranges: tuple[object, ...], port: int | None) -> bool:
    return port is not None and any(r[0] <= port <= r[1] for r in ranges)  # type: ignore[index]


def _states(c: Conn) -> set[str]:
    if c.untracked:
        return {"UNTRACKED"}
    out = {"ESTABLISHED" if c.established else "NEW"}
    if c.dnat:
        out.add("DNAT")
    if c.snat:
        out.add("SNAT")
    return out


def _addr_in(values: tuple[object, ...], family: int, addr: int) -> bool:
    return any(v[0] == family and in_prefix(family, addr, v[1], v[2]) for v in values)  # type: ignore[index]


def set_key(c: Conn, key: str) -> object:
    """One field of a set lookup's key."""
    return {"src": c.src, "dst": c.dst, "sport": c.sport, "dport": c.dport, "proto": c.proto, "iif": c.iif,
            "oif": c.oif, "mark": c.mark}.get(key)


def in_set(elements: set[tuple[object, ...]] | frozenset[tuple[object, ...]], key: tuple[object, ...],
           family: int) -> bool:
    """Whether ``key`` is in a set whose elements may be prefixes ``("net", family, net, plen)`` or port
    ranges ``("range", lo, hi)``."""
    if key in elements:
        return True
    for el in elements:
        if len(el) != len(key):
            continue
        if all(_elem_match(e, k, family) for e, k in zip(el, key, strict=True)):
            return True
    return False


def _elem_match(e: object, k: object, family: int) -> bool:
    if isinstance(e, tuple) and e and e[0] == "net":
        return isinstance(k, int) and e[1] == family and in_prefix(family, k, e[2], e[3])
    if isinstance(e, tuple) and e and e[0] == "range":
        return isinstance(k, int) and e[1] <= k <= e[2]
    return e == k


class Evaluator:
    """One namespace's ruleset, evaluated hook by hook."""

    def __init__(self, ruleset: Ruleset, host: Host) -> None:
        self.ruleset = ruleset
        self.host = host

    def match(self, m: Match, c: Conn, table: Table) -> bool | None:
        """Whether ``m`` holds (None: not simulated)."""
        k = m.kind
        if k == "unknown":
            return None
        if k in ("src", "dst"):
            hit = _addr_in(m.values, c.family, c.src if k == "src" else c.dst)
        elif k in ("iif", "oif"):
            hit = any(_iface(str(v), c.iif if k == "iif" else c.oif) for v in m.values)
        elif k == "proto":
            hit = any(str(v) in (c.proto, PROTO_NUMBERS.get(c.proto), "all", "0") for v in m.values)
        elif k in ("sport", "dport"):
            hit = _port(m.values, c.sport if k == "sport" else c.dport)
        elif k == "port":
            hit = _port(m.values, c.sport) or _port(m.values, c.dport)
        elif k == "ctstate":
            hit = bool(_states(c) & {str(v) for v in m.values})
        elif k in ("src_type", "dst_type"):
            hit = self.host.addrtype(c.family, c.src if k == "src_type" else c.dst) in m.values
        elif k in ("mark", "ctmark"):
            value, mask = m.values
            hit = ((c.mark if k == "mark" else c.ctmark) & mask) == value  # type: ignore[operator]
        elif k in ("src_range", "dst_range"):
            addr = c.src if k == "src_range" else c.dst
            hit = m.values[0] <= addr <= m.values[1]  # type: ignore[operator]
        elif k == "icmp_type":
            hit = c.proto == "icmp" and any(str(v) in ("echo-request", "8", "8/0", "any") for v in m.values)
        elif k == "syn":
            hit = c.proto == "tcp"
        elif k == "set":
            name, keys = m.values
            elements = name if isinstance(name, frozenset) else table.sets.get(str(name))
            if elements is None:
                return None
            hit = in_set(elements, tuple(set_key(c, str(x)) for x in keys), c.family)  # type: ignore[attr-defined]
        elif k == "nfproto":
            hit = {4: "ipv4", 6: "ipv6"}[c.family] in m.values
        elif k == "never":
            hit = False
        else:
            return None
        return hit != m.negate

    # -- chains -----------------------------------------------------------------------------------

    def run_hook(self, hook: str, conn: Conn) -> list[Outcome]:
        """Every way the hook can end for ``conn``."""
        outs = [Outcome("accept", conn)]
        for table, chain in self.ruleset.base_chains(hook, conn.family):
            nxt: list[Outcome] = []
            for o in outs:
                if o.verdict != "accept":
                    nxt.append(o)
                    continue
                if chain.kind == "nat" and (o.conn.untracked or o.conn.established or self._nat_bound(hook, o.conn)):
                    nxt.append(o)
                    continue
                for end, res in self._chain(table, chain, replace(o.conn), list(o.notes), 0):
                    verdict = end
                    if end == "return":
                        verdict = chain.policy or "accept"
                        if verdict == "drop":
                            res.where, res.rule = chain.where, f"policy {verdict.upper()}"
                    res.verdict = verdict
                    if verdict != "accept" and not res.where:
                        res.where = chain.where
                    nxt.append(res)
            outs = nxt
        return outs

    def run_chain(self, table: Table, name: str, conn: Conn) -> list[tuple[str, Outcome]]:
        """Every way chain ``name`` of ``table`` can end for ``conn``: ``(end, outcome)``, end ``return`` when it
        falls off its last rule."""
        return self._chain(table, table.chains[name], replace(conn), [], 0)

    @staticmethod
    def _nat_bound(hook: str, c: Conn) -> bool:
        return c.dnat if hook in DNAT_HOOKS else c.snat

    def _chain(self, table: Table, chain: Chain, conn: Conn, notes: list[Note],
               depth: int) -> list[tuple[str, Outcome]]:
        """Run ``chain`` from its first rule: ``(end, outcome)`` per branch, end ``return`` when it falls off."""
        return self._rules(table, chain, 0, conn, notes, depth)

    def _rules(self, table: Table, chain: Chain, start: int, conn: Conn, notes: list[Note],
               depth: int) -> list[tuple[str, Outcome]]:
        if depth > MAX_DEPTH:
            o = Outcome("unknown", conn, notes, chain.where, "chain calls nest too deep (a loop)")
            return [("unknown", o)]
        for i in range(start, len(chain.rules)):
            rule = chain.rules[i]
            verdict = None
            for m in rule.matches:
                verdict = self.match(m, conn, table)
                if verdict is not True:
                    break
            else:
                verdict = True
            if verdict is None and rule.target.kind != "continue":
                bad = next(m for m in rule.matches if self.match(m, conn, table) is None)
                notes.append(Note("unknown", f"{table.label}/{chain.name}: the verdict depends on "
                                  f"{bad.values[0] if bad.values else bad.kind}, which is not simulated: {rule.text}"))
                return [("unknown", Outcome("unknown", conn, notes, chain.where, rule.text))]
            if not verdict:
                continue
            if rule.probability is not None and rule.probability < 1.0:
                what = f"{table.label}/{chain.name}: random choice with probability {rule.probability:.4g}"
                taken = [*notes, Note("branch", f"{what} taken: {rule.text}")]
                skipped = [*notes, Note("branch", f"{what} not taken: {rule.text}")]
                out = self._apply(table, chain, i, rule, rule.target, replace(conn), taken, depth)
                return out + self._rules(table, chain, i + 1, replace(conn), skipped, depth)
            return self._apply(table, chain, i, rule, rule.target, conn, notes, depth)
        return [("return", Outcome("accept", conn, notes))]

    def _apply(self, table: Table, chain: Chain, i: int, rule: Rule, t: Target, conn: Conn, notes: list[Note],
               depth: int) -> list[tuple[str, Outcome]]:
        """Apply a matching rule's target, then go on as the target says."""
        k = t.kind
        here = f"{table.label}/{chain.name}"
        if k == "continue":
            return self._rules(table, chain, i + 1, conn, notes, depth)
        if k in ("accept", "drop", "reject"):
            return [(k, Outcome(k, conn, notes, here, rule.text, t.arg if k == "reject" else None))]
        if k == "return":
            return [("return", Outcome("accept", conn, notes))]
        if k in ("jump", "goto"):
            sub = table.chains.get(t.arg or "")
            if sub is None:
                return [("unknown", Outcome("unknown", conn, notes, here, f"{rule.text} (no chain {t.arg})"))]
            results = self._rules(table, sub, 0, conn, notes, depth + 1)
            if k == "goto":
                return results
            out: list[tuple[str, Outcome]] = []
            for end, res in results:
                out += self._rules(table, chain, i + 1, res.conn, res.notes, depth) if end == "return" else [(end, res)]
            return out
        if k == "vmap":
            return self._vmap(table, chain, i, rule, t, conn, notes, depth)
        if k == "numgen":
            out = []
            for n, (_, sub_t) in enumerate(t.branches):
                branch = [*notes, Note("branch", f"{here}: numgen branch {n + 1} of {len(t.branches)}: {rule.text}")]
                out += self._apply(table, chain, i, rule, sub_t, replace(conn), branch, depth)
            return out
        if k in ("dnat", "snat", "masquerade", "redirect"):
            return self._nat(k, t, here, rule, conn, notes)
        if k == "mark":
            before = conn.mark
            conn.mark = (conn.mark & ~t.mask & 0xFFFFFFFF) ^ t.value
            notes.append(Note("mark", f"{here}: mark {before:#x} -> {conn.mark:#x} by {rule.text}",
                              (("mark", f"{conn.mark:#x}"),)))
            return self._rules(table, chain, i + 1, conn, notes, depth)
        if k == "connmark":
            if t.arg == "save":
                conn.ctmark = conn.mark
            elif t.arg == "restore":
                conn.mark = conn.ctmark
            else:
                conn.ctmark = (conn.ctmark & ~t.mask & 0xFFFFFFFF) ^ t.value
            return self._rules(table, chain, i + 1, conn, notes, depth)
        if k == "notrack":
            conn.untracked = True
            return self._rules(table, chain, i + 1, conn, notes, depth)
        notes.append(Note("unknown", f"{here}: target {t.arg} is not simulated: {rule.text}"))
        return [("unknown", Outcome("unknown", conn, notes, here, rule.text))]

    def _vmap(self, table: Table, chain: Chain, i: int, rule: Rule, t: Target, conn: Conn, notes: list[Note],
              depth: int) -> list[tuple[str, Outcome]]:
        key = tuple(set_key(conn, x) for x in t.keys)
        branches = table.maps.get(t.arg or "", ()) if t.arg else t.branches
        for elem, sub in branches:
            if in_set({elem}, key, conn.family):
                return self._apply(table, chain, i, rule, sub, conn, notes, depth)
        return self._rules(table, chain, i + 1, conn, notes, depth)

    def _nat(self, k: str, t: Target, here: str, rule: Rule, conn: Conn,
             notes: list[Note]) -> list[tuple[str, Outcome]]:
        before = (conn.src, conn.sport, conn.dst, conn.dport)
        addr, port = (t.to or (None, None, None))[:2]
        if k == "dnat":
            conn.dst = addr if addr is not None else conn.dst
            conn.dport = port if port is not None else conn.dport
            conn.dnat = True
        elif k == "redirect":
            chosen = self.host.redirect_dst(conn.iif)
            conn.dst = chosen if chosen is not None else conn.dst
            conn.dport = port if port is not None else conn.dport
            conn.dnat = True
        elif k == "snat":
            conn.src = addr if addr is not None else conn.src
            conn.sport = port if port is not None else conn.sport
            conn.snat = True
        else:
            chosen = self.host.masquerade_src(conn.oif)
            if chosen is None:
                notes.append(Note("filter", f"{here}: MASQUERADE finds no address on {conn.oif}: dropped"))
                return [("drop", Outcome("drop", conn, notes, here, rule.text))]
            conn.src = chosen
            conn.snat = True
        fam = conn.family

        def ep(a: int, p: int | None) -> str:
            return format_ip(fam, a) + (f":{p}" if p is not None else "")

        old, new = (ep(before[2], before[3]), ep(conn.dst, conn.dport)) if k in ("dnat", "redirect") else \
            (ep(before[0], before[1]), ep(conn.src, conn.sport))
        notes.append(Note("nat", f"{here}: {k.upper()} {old} -> {new} by {rule.text}",
                          (("nat", k), ("from", old), ("to", new), ("rule", rule.text))))
        return [("accept", Outcome("accept", conn, notes, here, rule.text))]
