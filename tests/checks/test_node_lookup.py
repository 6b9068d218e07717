"""The route lookup the node rules decide with, against a brute-force reference."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.checks.node.common import lookup
from netblame.checks.node.nb305_rp_filter_strict_asymmetric import rp_filter
from netblame.model.snapshot import Namespace, PolicyRule, Route

prefixes = st.builds(lambda a, n: ipaddress.ip_network((a, n), strict=False),
                     st.integers(0, 2**32 - 1), st.integers(0, 32))


@settings(max_examples=200, deadline=None)
@given(st.lists(prefixes, max_size=12), st.integers(0, 2**32 - 1), st.booleans())
def test_longest_prefix_wins_and_rules_pick_the_tables(nets: list[ipaddress.IPv4Network], raw: int,
                                                       other_table: bool) -> None:
    table = "100" if other_table else "main"
    routes = tuple(Route(family=4, table=table, type="unicast", dst=str(n), dev=f"d{i}") for i, n in enumerate(nets))
    rules = (PolicyRule(family=4, priority=0, action="lookup", table="local"),
             PolicyRule(family=4, priority=100, action="lookup", table="100"),
             PolicyRule(family=4, priority=32766, action="lookup", table="main"))
    ns = Namespace(id="x", role="host", routes=routes, rules=rules)
    address = ipaddress.IPv4Address(raw)
    covering = [n for n in nets if address in n]
    found = lookup(ns, address)
    if not covering:
        assert found is None
    else:
        assert found is not None and found.network.prefixlen == max(n.prefixlen for n in covering)
    without_rule_100 = Namespace(id="x", role="host", routes=routes, rules=(rules[0], rules[2]))
    if other_table:
        assert lookup(without_rule_100, address) is None


def test_throw_moves_on_and_a_selector_rule_is_skipped() -> None:
    ns = Namespace(id="x", role="host", routes=(
        Route(family=4, table="100", type="throw", dst="10.0.0.0/8"),
        Route(family=4, table="200", type="unicast", dst="10.1.0.0/16", dev="fw"),
        Route(family=4, table="main", type="unicast", dst="10.0.0.0/8", dev="eth0")),
        rules=(PolicyRule(family=4, priority=10, action="lookup", table="200", fwmark=1),
               PolicyRule(family=4, priority=20, action="lookup", table="100"),
               PolicyRule(family=4, priority=30, action="lookup", table="main")))
    found = lookup(ns, ipaddress.IPv4Address("10.1.2.3"))
    assert found is not None and found.route.dev == "eth0"


@given(st.sampled_from(["0", "1", "2", None]), st.sampled_from(["0", "1", "2", None]))
def test_effective_rp_filter_is_the_larger_of_all_and_the_device(all_: str | None, dev: str | None) -> None:
    sysctls = {k: v for k, v in (("net.ipv4.conf.all.rp_filter", all_), ("net.ipv4.conf.eth0.rp_filter", dev))
               if v is not None}
    known = [int(v) for v in (all_, dev) if v is not None]
    assert rp_filter(Namespace(id="x", role="host", sysctls=sysctls), "eth0") == (max(known) if known else None)
