"""A netfilter model: the packet filters and NAT of one namespace, for a new connection's first packet.

``load`` turns a snapshot namespace's dumps into one :class:`~rules.Ruleset` (iptables of both back-ends and
nf_tables tables; nft's copies of iptables-nft's tables are left to the iptables dump, which says them in
full); :class:`~evaluate.Evaluator` runs a hook's chains.
"""

from __future__ import annotations

from netblame.dataplane.netfilter.iptables_save import parse_iptables_save
from netblame.dataplane.netfilter.nft_json import parse_nft_json
from netblame.dataplane.netfilter.rules import Ruleset
from netblame.errors import InputError
from netblame.model.snapshot import Namespace


def load(ns: Namespace) -> Ruleset | None:
    """The namespace's ruleset, or None when its filters were not collected or hold nothing."""
    nf = ns.netfilter
    if nf is None:
        return None
    rs = Ruleset()
    covered: set[tuple[str, str]] = set()
    for dump in nf.iptables:
        tool = ("iptables" if dump.family == 4 else "ip6tables") + ("-legacy" if dump.backend == "legacy" else "")
        try:
            tables = parse_iptables_save(dump.text, tool, dump.family, f"{ns.id}: {tool}-save")
        except InputError as exc:
            rs.problems.append(str(exc))
            continue
        rs.tables += tables
        if dump.backend == "nft":
            covered |= {(t.family, t.name) for t in tables}
    if nf.nft:
        try:
            rs.tables += [t for t in parse_nft_json(nf.nft, f"{ns.id}: nft -j list ruleset")
                          if (t.family, t.name) not in covered]
        except InputError as exc:
            rs.problems.append(str(exc))
    return None if rs.empty() and not rs.problems else rs


__all__ = ["load"]
