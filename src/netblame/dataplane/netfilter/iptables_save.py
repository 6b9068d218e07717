"""``iptables-save`` text (either back-end, with or without ``-c`` counters) -> :mod:`rules` tables.

Matches and targets the evaluator simulates are parsed into :class:`Match`/:class:`Target`; any other module
becomes an ``unknown`` match (or target) naming itself, never dropped, so the evaluator can say a verdict
depends on it.
"""

from __future__ import annotations

import ipaddress
import shlex

from netblame.dataplane.netfilter.rules import (
    SRCNAT_PRIORITY,
    TABLE_HOOKS,
    TABLE_PRIORITY,
    Chain,
    Match,
    Rule,
    Table,
    Target,
)
from netblame.errors import InputError

BUILTIN = {"PREROUTING": "prerouting", "INPUT": "input", "FORWARD": "forward", "OUTPUT": "output",
           "POSTROUTING": "postrouting"}
CORE = {"-s", "--source", "-d", "--destination", "-i", "--in-interface", "-o", "--out-interface", "-p",
        "--protocol", "-m", "--match", "-j", "--jump", "-g", "--goto", "-f", "--fragment"}
# Targets that let the packet go on to the next rule and do not change its fate.
CONTINUE = frozenset({"LOG", "NFLOG", "ULOG", "TRACE", "TCPMSS", "CHECKSUM", "AUDIT", "NFQUEUE_BYPASS", "TOS",
                      "DSCP", "CLASSIFY", "TEE"})
# Modules whose options are simulated (the rest: ``unknown``).
KNOWN_MODULES = frozenset({"tcp", "udp", "sctp", "icmp", "multiport", "conntrack", "state", "addrtype", "mark",
                           "connmark", "comment", "statistic", "iprange", "limit"})
ICMP_ECHO = frozenset({"echo-request", "8", "8/0"})
# Modules whose options are read as a whole (see _RuleParser.recent, .nfacct).
OPTION_MODULES = {"recent": lambda p, opts: p.recent(opts), "nfacct": lambda p, opts: p.nfacct(opts)}


def prefix(text: str) -> tuple[int, int, int]:
    """An iptables address (``10.0.0.0/8``, ``10.0.0.1``, ``10.0.0.0/255.0.0.0``) as ``(family, net, plen)``."""
    net = ipaddress.ip_network(text, strict=False)
    return net.version, int(net.network_address), net.prefixlen


def ports(text: str) -> tuple[tuple[int, int], ...]:
    """``80``, ``8000:8080``, ``80,443,1000:2000`` as ranges."""
    out = []
    for part in text.split(","):
        low, _, high = part.partition(":")
        out.append((int(low or 0), int(high or 65535) if _ else int(low)))
    return tuple(out)


def mark_value(text: str) -> tuple[int, int]:
    """``0x4000/0x4000`` or ``0x4000`` (mask all ones) as ``(value, mask)``."""
    value, _, mask = text.partition("/")
    return int(value, 0), int(mask, 0) if mask else 0xFFFFFFFF


def nat_to(text: str) -> tuple[int | None, int | None, int | None]:
    """``10.0.0.1:8080``, ``10.0.0.1``, ``:80``, ``10.0.0.1-10.0.0.3:1000-2000`` (first address of a range)."""
    addr, _, port = text.rpartition(":") if ":" in text and text.count(":") == 1 else (text, "", "")
    addr = addr.split("-")[0]
    low, _, high = port.partition("-")
    return (int(ipaddress.ip_address(addr)) if addr else None, int(low) if low else None,
            int(high) if high else (int(low) if low else None))


class _RuleParser:
    """One ``-A`` line's options, consumed left to right."""

    def __init__(self, tokens: list[str], chains: set[str]) -> None:
        self.tokens = tokens
        self.chains = chains
        self.i = 0
        self.matches: list[Match] = []
        self.target = Target("continue")
        self.probability: float | None = None
        self.negate = False
        self.module = ""

    def take(self) -> str:
        self.i += 1
        if self.i > len(self.tokens):
            raise ValueError(f"option {self.tokens[-1]} needs a value")
        return self.tokens[self.i - 1]

    def add(self, kind: str, *values: object, extra: tuple[tuple[str, object], ...] = ()) -> None:
        self.matches.append(Match(kind, tuple(values), self.negate, extra))
        self.negate = False

    def parse(self) -> None:
        while self.i < len(self.tokens):
            tok = self.take()
            if tok == "!":
                self.negate = True
            elif tok in ("-s", "--source", "-d", "--destination"):
                kind = "src" if tok in ("-s", "--source") else "dst"
                self.add(kind, *(prefix(a) for a in self.take().split(",")))
            elif tok in ("-i", "--in-interface", "-o", "--out-interface"):
                self.add("iif" if tok in ("-i", "--in-interface") else "oif", self.take())
            elif tok in ("-p", "--protocol"):
                self.add("proto", self.take().lower())
            elif tok in ("-f", "--fragment"):
                self.add("unknown", "fragment (-f)")
            elif tok in ("-m", "--match"):
                self.module = self.take()
                if self.module in OPTION_MODULES:
                    OPTION_MODULES[self.module](self, self.options())
                elif self.module not in KNOWN_MODULES:
                    self.add("unknown", f"-m {self.module}")
                    self.skip_options()
            elif tok in ("-j", "--jump", "-g", "--goto"):
                self.parse_target(self.take(), goto=tok in ("-g", "--goto"))
            elif tok.startswith("--"):
                self.module_option(tok)
            else:
                raise ValueError(f"unexpected {tok!r}")

    def options(self) -> list[str]:
        """The current module's options (up to the next core option), consumed."""
        start = self.i
        self.skip_options()
        return self.tokens[start:self.i]

    def recent(self, opts: list[str]) -> None:
        """``-m recent``: ``--set`` always matches (it records the source; net/netfilter/xt_recent.c);
        ``--rcheck``, ``--update`` and ``--remove`` (and a negated ``--set``) depend on the kernel's list of recent
        sources, which is not collected."""
        mode = next((o for o in opts if o in ("--rcheck", "--update", "--remove")), None)
        if mode is None and "!" in opts:
            mode = "! --set"
        if mode is not None:
            name = opts[opts.index("--name") + 1] if "--name" in opts[:-1] else "DEFAULT"
            self.add("unknown", f"-m recent {mode} --name {name} (the kernel's list of recent sources)")

    def nfacct(self, opts: list[str]) -> None:
        """``-m nfacct --nfacct-name N``: counts the packet in an accounting object and matches unless that object
        has a quota the packet is under (net/netfilter/xt_nfacct.c). Objects are not collected; kube-proxy's, the
        ones real rulesets name, have no quota, so the match is taken to hold (docs/trace.md says so)."""

    def skip_options(self) -> None:
        while self.i < len(self.tokens) and self.tokens[self.i] not in CORE and not (
                self.tokens[self.i] == "!" and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1] in CORE):
            self.i += 1
        self.negate = False

    def module_option(self, opt: str) -> None:
        m = self.module
        if opt in ("--dport", "--destination-port", "--sport", "--source-port", "--dports", "--sports",
                   "--destination-ports", "--source-ports", "--ports"):
            kind = "sport" if "s" in opt.removeprefix("--")[:1] else "dport"
            if opt == "--ports":
                kind = "port"
            self.add(kind, *ports(self.take()))
        elif opt in ("--state", "--ctstate"):
            self.add("ctstate", *self.take().upper().split(","))
        elif opt in ("--src-type", "--dst-type"):
            self.add("src_type" if opt == "--src-type" else "dst_type", *self.take().upper().split(","))
        elif opt in ("--limit-iface-in", "--limit-iface-out"):
            last = self.matches[-1]
            self.matches[-1] = Match(last.kind, last.values, last.negate, (*last.extra, (opt[2:], True)))
        elif opt == "--mark":
            self.add("ctmark" if m == "connmark" else "mark", *mark_value(self.take()))
        elif opt in {"--comment", "--mode"}:
            self.take()
        elif opt == "--probability":
            self.probability = float(self.take())
        elif opt == "--every":
            self.probability = 1.0 / int(self.take())
        elif opt == "--packet":
            self.take()
        elif opt == "--icmp-type":
            self.add("icmp_type", self.take())
        elif opt == "--syn":
            self.add("syn")
        elif opt == "--tcp-flags":
            mask, comp = self.take().split(","), self.take().split(",")
            self.add("syn") if "SYN" in mask and comp == ["SYN"] else self.add("unknown", "--tcp-flags")
        elif opt in ("--src-range", "--dst-range"):
            low, _, high = self.take().partition("-")
            self.add("src_range" if opt == "--src-range" else "dst_range",
                     int(ipaddress.ip_address(low)), int(ipaddress.ip_address(high or low)))
        elif opt in ("--limit", "--limit-burst"):
            self.take()  # the first packet of a flow is within any limit's burst
        else:
            self.add("unknown", f"-m {m} {opt}")
            self.skip_options()

    def parse_target(self, name: str, goto: bool) -> None:
        opts: dict[str, str] = {}
        while self.i < len(self.tokens) and self.tokens[self.i].startswith("--"):
            key = self.take()
            nxt = self.tokens[self.i] if self.i < len(self.tokens) else ""
            opts[key] = self.take() if nxt and not nxt.startswith("--") else ""
        self.target = target_of(name, opts, goto, self.chains)


def target_of(name: str, opts: dict[str, str], goto: bool, chains: set[str]) -> Target:
    """A ``-j NAME --opt value ...`` as a :class:`Target`."""
    if name in chains:
        return Target("goto" if goto else "jump", name)
    simple = {"ACCEPT": "accept", "DROP": "drop", "RETURN": "return", "NOTRACK": "notrack"}
    if name in simple:
        return Target(simple[name])
    if name == "REJECT":
        return Target("reject", opts.get("--reject-with", "icmp-port-unreachable"))
    if name in ("DNAT", "SNAT"):
        to = opts.get("--to-destination" if name == "DNAT" else "--to-source")
        return Target(name.lower(), to=nat_to(to) if to else None)
    if name in ("MASQUERADE", "REDIRECT"):
        low, _, high = opts.get("--to-ports", "").partition("-")
        return Target(name.lower(), to=(None, int(low), int(high or low)) if low else None)
    if name == "MARK":
        for key in ("--set-xmark", "--set-mark"):
            if key in opts:
                value, mask = mark_value(opts[key])
                return Target("mark", value=value, mask=mask)
        if "--or-mark" in opts:
            v = int(opts["--or-mark"], 0)
            return Target("mark", value=v, mask=v)
        if "--and-mark" in opts:
            v = int(opts["--and-mark"], 0)
            return Target("mark", value=0, mask=~v & 0xFFFFFFFF)
        if "--xor-mark" in opts:
            return Target("mark", value=int(opts["--xor-mark"], 0), mask=0)
    if name == "CONNMARK":
        if "--save-mark" in opts:
            return Target("connmark", "save")
        if "--restore-mark" in opts:
            return Target("connmark", "restore")
        found = next((k for k in ("--set-xmark", "--set-mark") if k in opts), None)
        if found:
            value, mask = mark_value(opts[found])
            return Target("connmark", "set", value=value, mask=mask)
    if name == "CT":
        return Target("notrack") if "--notrack" in opts else Target("continue")
    if name in CONTINUE:
        return Target("continue")
    return Target("unknown", f"-j {name}")


def _rule_text(chain: str, tokens: list[str]) -> str:
    return " ".join(["-A", chain, *(shlex.quote(t) if " " in t or not t else t for t in tokens)])


def _chain(table: str, line: str) -> Chain:
    """A ``:NAME POLICY [p:b]`` line: a built-in chain sits on its hook at the table's priority."""
    name, policy = ([*line[1:].split(), "-"])[:2]
    hook = BUILTIN.get(name)
    chain = Chain(name, table, hook=hook if hook in TABLE_HOOKS.get(table, ()) else None)
    if chain.hook is not None:
        chain.policy = policy.lower()
        chain.priority = TABLE_PRIORITY.get(table, 0)
        if table == "nat" and chain.hook in ("postrouting", "input"):
            chain.priority = SRCNAT_PRIORITY
        chain.kind = "nat" if table == "nat" else "filter"
    return chain


def parse_iptables_save(text: str, backend: str, family: int, where: str = "iptables-save") -> list[Table]:
    """Every table in an ``iptables-save`` dump. InputError (naming ``where`` and the line) on text that is
    not iptables-save output."""
    tables: list[Table] = []
    table: Table | None = None
    pending: list[tuple[int, str, list[str]]] = []
    fam = "ip" if family == 4 else "ip6"

    def finish() -> None:
        assert table is not None
        names = set(table.chains)
        for lineno, chain, tokens in pending:
            p = _RuleParser(tokens, names)
            try:
                p.parse()
            except (ValueError, IndexError) as exc:
                raise InputError(f"cannot parse rule ({exc}); expected iptables-save output", file=where,
                                 line=lineno) from None
            if chain not in table.chains:
                raise InputError(f"rule for undeclared chain {chain}", file=where, line=lineno)
            table.chains[chain].rules.append(Rule(tuple(p.matches), p.target, _rule_text(chain, tokens),
                                                  p.probability))
        pending.clear()

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):  # -c counters before the rule
            line = line.partition("]")[2].strip()
        if line.startswith("*"):
            table = Table(backend, fam, line[1:])
            tables.append(table)
        elif line == "COMMIT":
            if table is None:
                raise InputError("COMMIT outside a table", file=where, line=lineno)
            finish()
            table = None
        elif line.startswith(":") and table is not None:
            chain = _chain(table.name, line)
            table.chains[chain.name] = chain
        elif line.startswith("-A ") and table is not None:
            try:
                tokens = shlex.split(line)
            except ValueError as exc:
                raise InputError(f"cannot split rule ({exc})", file=where, line=lineno) from None
            pending.append((lineno, tokens[1], tokens[2:]))
        else:
            raise InputError(f"unexpected line {line[:60]!r}; expected iptables-save output", file=where, line=lineno)
    if table is not None:
        raise InputError(f"table {table.name} has no COMMIT", file=where)
    return tables
