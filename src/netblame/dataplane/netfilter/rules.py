"""The common rule model both parsers (iptables-save text, nft JSON) produce and the evaluator reads.

A :class:`Rule` is a conjunction of :class:`Match`\\ es and one :class:`Target`; its ``text`` is the rule as
``iptables-save`` or ``nft`` writes it, for messages. A :class:`Chain` is a list of rules; a base chain sits on
a hook at a priority and has a policy. A :class:`Ruleset` is every base chain of a namespace, both back-ends
and nf_tables tables together, ordered as the kernel calls them (by priority on each hook).
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOOKS = ("prerouting", "input", "forward", "output", "postrouting")
# iptables' tables: their priority on each hook they register (include/uapi/linux/netfilter_ipv4.h).
TABLE_PRIORITY = {"raw": -300, "mangle": -150, "nat": -100, "filter": 0, "security": 50}
SRCNAT_PRIORITY = 100  # nat on POSTROUTING and INPUT (NF_IP_PRI_NAT_SRC)
TABLE_HOOKS = {
    "raw": ("prerouting", "output"),
    "mangle": HOOKS,
    "nat": ("prerouting", "input", "output", "postrouting"),
    "filter": ("input", "forward", "output"),
    "security": ("input", "forward", "output"),
}


@dataclass(frozen=True, slots=True)
class Match:
    """One condition. ``kind`` names what is compared; ``values`` are its operands (already parsed):

    - ``src``/``dst``: tuples of ``(family, net, plen)``;
    - ``iif``/``oif``: device names, a trailing ``+`` (iptables) or ``*`` (nft) is a prefix wildcard;
    - ``proto``: protocol names (``tcp``, ``udp``, ``icmp``, ...);
    - ``sport``/``dport``: ``(low, high)`` ranges;
    - ``ctstate``: state names (``NEW``, ``ESTABLISHED``, ``RELATED``, ``INVALID``, ``UNTRACKED``, ``DNAT``,
      ``SNAT``);
    - ``src_type``/``dst_type``: addrtype names (``LOCAL``, ``UNICAST``, ...); ``limit_iface_in``/``_out`` in
      ``extra``;
    - ``mark``/``ctmark``: ``(value, mask)``;
    - ``set``: ``(set name, ("src"|"dst"|"sport"|"dport"|"proto"|"iif"|"oif", ...))``;
    - ``unknown``: a match the model does not simulate (``values[0]`` names it).
    """

    kind: str
    values: tuple[object, ...] = ()
    negate: bool = False
    extra: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class Target:
    """What a matching rule does. ``kind``: ``accept``, ``drop``, ``reject``, ``jump``, ``goto``, ``return``,
    ``continue`` (logging, counting: on to the next rule), ``dnat``, ``snat``, ``masquerade``, ``redirect``,
    ``mark`` (``value``/``mask``: the kernel's ``--set-xmark``), ``connmark``, ``notrack``, ``vmap``
    (an nft verdict map: ``branches`` of ``(key values, target)``), ``numgen`` (``branches`` picked at random),
    or ``unknown``. ``arg`` is the chain for jump/goto, the reject type, or the unknown target's name;
    ``to`` is a NAT's ``(address or None, low port or None, high port or None)``."""

    kind: str
    arg: str | None = None
    to: tuple[int | None, int | None, int | None] | None = None
    value: int = 0
    mask: int = 0
    keys: tuple[str, ...] = ()
    branches: tuple[tuple[tuple[object, ...], Target], ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: all ``matches`` must hold, then ``target`` applies; ``probability`` is a statistic/numgen
    match (the evaluator follows both outcomes)."""

    matches: tuple[Match, ...]
    target: Target
    text: str
    probability: float | None = None


@dataclass(slots=True)
class Chain:
    """A chain: its rules and, for a base chain, its hook, priority and policy (``accept``/``drop``)."""

    name: str
    table: str
    rules: list[Rule] = field(default_factory=list)
    hook: str | None = None
    priority: int = 0
    policy: str | None = None
    kind: str = "filter"  # nf_tables chain type: filter, nat, route

    @property
    def where(self) -> str:
        """``table/chain`` for messages."""
        return f"{self.table}/{self.name}"


@dataclass(slots=True)
class Table:
    """A table of one back-end (``iptables``, ``iptables-legacy``, ``nft``) and family, with its chains and,
    for nf_tables, its named sets (name -> element keys) and maps (name -> (key, target) pairs)."""

    backend: str
    family: str
    name: str
    chains: dict[str, Chain] = field(default_factory=dict)
    sets: dict[str, set[tuple[object, ...]]] = field(default_factory=dict)
    maps: dict[str, tuple[tuple[tuple[object, ...], Target], ...]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the user knows the table: ``filter`` for iptables, ``ip kube-proxy`` for nftables."""
        return self.name if self.backend.startswith("iptables") else f"{self.family} {self.name}"


@dataclass(slots=True)
class Ruleset:
    """Every table of a namespace; :meth:`base_chains` gives a hook's chains in the kernel's order."""

    tables: list[Table] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def base_chains(self, hook: str, family: int) -> list[tuple[Table, Chain]]:
        """The base chains on ``hook`` for ``family`` (4/6), by priority (iptables before nft on a tie)."""
        fams = {4: ("ip", "inet"), 6: ("ip6", "inet")}[family]
        found = [(t, c) for t in self.tables if t.family in fams for c in t.chains.values() if c.hook == hook]
        return sorted(found, key=lambda tc: (tc[1].priority, not tc[0].backend.startswith("iptables")))

    def empty(self) -> bool:
        """Whether no table holds a rule or a non-accepting policy."""
        return not any(c.rules or c.policy == "drop" for t in self.tables for c in t.chains.values())
