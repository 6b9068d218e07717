"""Policy rule order and table lookup against a brute-force reference written independently
(ipaddress membership, a linear scan over every route)."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.dataplane.fib import Fib, prepare
from netblame.dataplane.lpm import parse_ip
from netblame.model.snapshot import PolicyRule, Route

TABLES = ["main", "100", "200"]
NETS = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.128/25", "0.0.0.0/0", "192.168.0.0/16", "10.1.2.3/32"]
TYPES = ["unicast", "unicast", "unicast", "throw", "blackhole", "unreachable", "prohibit"]
ADDRS = ["10.1.2.3", "10.1.2.200", "10.9.9.9", "192.168.1.1", "8.8.8.8", "10.1.3.4"]

routes_st = st.lists(st.builds(lambda t, d, ty, m: Route(family=4, table=t, type=ty, dst=d, metric=m,
                                                         dev=None if ty in ("throw", "blackhole", "unreachable",
                                                                            "prohibit") else "eth0"),
                               st.sampled_from(TABLES), st.sampled_from(NETS), st.sampled_from(TYPES),
                               st.integers(0, 3)), max_size=14)
rules_st = st.lists(st.builds(
    lambda p, a, t, src, dst, inv, iif: PolicyRule(family=4, priority=p, action=a, table=t if a == "lookup" else None,
                                           src=src, dst=dst, invert=inv, iif=iif),
    st.integers(0, 40), st.sampled_from(["lookup", "lookup", "lookup", "blackhole", "unreachable", "prohibit"]),
    st.sampled_from(TABLES), st.sampled_from([None, "10.0.0.0/8", "10.1.2.0/24", "192.168.0.0/16"]),
    st.sampled_from([None, "10.1.0.0/16", "10.1.2.128/25", "8.0.0.0/8"]), st.booleans(),
    st.sampled_from([None, "lo", "eth1"])), min_size=1, max_size=6)


def reference(routes: list[Route], rules: list[PolicyRule], dst: str, src: str, iif: str) -> tuple[str, str | None]:
    """What the kernel picks: (type, "table dst") by a linear scan."""
    d, s = ipaddress.ip_address(dst), ipaddress.ip_address(src)
    for rule in sorted(rules, key=lambda r: r.priority):  # sorted() is stable: equal priorities keep order
        ok = ((rule.src is None or s in ipaddress.ip_network(rule.src))
              and (rule.dst is None or d in ipaddress.ip_network(rule.dst))
              and (rule.iif is None or rule.iif == iif))
        if ok == rule.invert:
            continue
        if rule.action != "lookup":
            return rule.action, None
        candidates = [r for r in routes if r.table == rule.table and d in ipaddress.ip_network(r.dst)]
        if not candidates:
            continue
        longest = max(ipaddress.ip_network(r.dst).prefixlen for r in candidates)
        best = min((r for r in candidates if ipaddress.ip_network(r.dst).prefixlen == longest),
                   key=lambda r: r.metric)
        if best.type == "throw":
            continue
        return best.type, f"{best.table} {best.dst} {best.metric}"
    return "none", None


@settings(max_examples=400)
@given(routes_st, rules_st, st.sampled_from(ADDRS), st.sampled_from(ADDRS), st.sampled_from(["lo", "eth1"]))
def test_rule_walk_matches_reference(routes: list[Route], rules: list[PolicyRule], dst: str, src: str,
                                     iif: str) -> None:
    # One route per (table, dst, metric), as the kernel keeps them (a second add is refused).
    unique = list({(r.table, r.dst, r.metric): r for r in routes}.values())
    fib = Fib([prepare(r) for r in unique], rules)
    got = fib.lookup(4, parse_ip(dst)[1], parse_ip(src)[1], iif)
    want_type, want_route = reference(unique, rules, dst, src, iif)
    assert got.type == want_type
    if want_route is not None:
        assert got.route is not None
        assert f"{got.route.table} {got.route.route.dst} {got.route.route.metric}" == want_route


def test_no_rules_means_the_kernel_defaults() -> None:
    fib = Fib([prepare(Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", dev="eth0", gateway="10.0.0.1")),
               prepare(Route(family=4, table="local", type="local", dst="10.0.0.5/32", dev="eth0"))], [])
    assert fib.lookup(4, parse_ip("10.0.0.5")[1]).type == "local"
    assert fib.lookup(4, parse_ip("1.1.1.1")[1]).route is not None
    assert [r.priority for r in fib.rules[4]] == [0, 32766, 32767]


def test_goto_skips_to_the_target_priority() -> None:
    routes = [Route(family=4, table="100", type="unicast", dst="0.0.0.0/0", dev="eth1"),
              Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", dev="eth0")]
    rules = [PolicyRule(family=4, priority=10, action="goto", table="30"),
             PolicyRule(family=4, priority=20, action="lookup", table="100"),
             PolicyRule(family=4, priority=30, action="lookup", table="main")]
    got = Fib([prepare(r) for r in routes], rules).lookup(4, parse_ip("1.1.1.1")[1])
    assert got.route is not None and got.route.route.dev == "eth0"
