"""Real rulesets of kube-proxy (iptables and nftables modes), Flannel and Calico, kept verbatim in
tests/data/rulesets with their sources (README.md there): each parses, its chains and jump targets are understood,
no rule is dropped, and what the model does not simulate is reported as such."""

from __future__ import annotations

import ipaddress
import re
import subprocess
from pathlib import Path

import pytest

from netblame.dataplane.netfilter.evaluate import Conn, Evaluator, Host
from netblame.dataplane.netfilter.iptables_save import parse_iptables_save
from netblame.dataplane.netfilter.nft_json import parse_nft_json
from netblame.dataplane.netfilter.rules import Rule, Ruleset, Table

DATA = Path(__file__).parent.parent / "data" / "rulesets"
FLANNEL_KUBE_PROXY = DATA / "kubeadm-flannel-kube-proxy.iptables-save"
KUBE_PROXY_NFT = DATA / "kube-proxy-nftables-upstream.nft"
CALICO = DATA / "calico-felix-1421"


def ip(text: str) -> int:
    return int(ipaddress.ip_address(text))


def host(local: tuple[str, ...] = ()) -> Host:
    """A namespace whose own addresses are ``local``; masquerade picks 192.0.2.1."""
    mine = {ip(a) for a in local}
    return Host(lambda f, a: "LOCAL" if a in mine else "UNICAST", lambda oif: ip("192.0.2.1"),
                lambda iif: ip("127.0.0.1"))


def rules(tables: list[Table]) -> list[Rule]:
    return [r for t in tables for c in t.chains.values() for r in c.rules]


def unknown(tables: list[Table]) -> list[str]:
    """Every match or target the model reports as not simulated, by what it names."""
    out = [str(m.values[0]) for r in rules(tables) for m in r.matches if m.kind == "unknown"]
    return out + [str(r.target.arg) for r in rules(tables) if r.target.kind == "unknown"]


def jump_targets_resolve(tables: list[Table]) -> None:
    for t in tables:
        for c in t.chains.values():
            for r in c.rules:
                if r.target.kind in ("jump", "goto"):
                    assert r.target.arg in t.chains, r.text


def conn(src: str, dst: str, proto: str, dport: int, **kw: object) -> Conn:
    return Conn(family=4, src=ip(src), dst=ip(dst), proto=proto, sport=40000, dport=dport, **kw)  # type: ignore[arg-type]


# -- kube-proxy (iptables mode) and Flannel, from a kubeadm node ---------------------------------------------------

def test_kube_proxy_and_flannel_dump_parses_whole() -> None:
    text = FLANNEL_KUBE_PROXY.read_text()
    tables = parse_iptables_save(text, "iptables", 4, str(FLANNEL_KUBE_PROXY))
    assert [t.name for t in tables] == ["mangle", "filter", "nat"]
    assert [len(t.chains) for t in tables] == [text.split("*")[i].count("\n:") for i in (1, 2, 3)]
    # No rule lost: one per -A line; nothing the model must call unknown.
    assert len(rules(tables)) == sum(line.startswith("-A ") for line in text.splitlines())
    assert unknown(tables) == []
    jump_targets_resolve(tables)
    flt, nat = tables[1].chains, tables[2].chains
    assert [r.target.arg for r in nat["KUBE-SERVICES"].rules] == [
        "KUBE-SVC-NPX46M4PTMTKRN6Y", "KUBE-SVC-TCOU7JCQXEZGVUNU", "KUBE-SVC-ERIFXISQEP7F7OF4",
        "KUBE-SVC-JD5MR3NA4I4DYORP", "KUBE-NODEPORTS"]
    assert [r.target.kind for r in flt["FLANNEL-FWD"].rules] == ["accept", "accept"]
    assert [r.target.kind for r in nat["FLANNEL-POSTRTG"].rules] == ["return"] * 4 + ["masquerade"] * 2
    assert [r.probability for r in nat["KUBE-SVC-TCOU7JCQXEZGVUNU"].rules] == [None, 0.5, None]
    assert (flt["FORWARD"].hook, flt["FORWARD"].policy, nat["POSTROUTING"].priority) == ("forward", "accept", 100)


def test_kube_dns_clusterip_is_one_dnat_branch_per_coredns_pod() -> None:
    tables = parse_iptables_save(FLANNEL_KUBE_PROXY.read_text(), "iptables", 4)
    ev = Evaluator(Ruleset(tables), host(("172.31.7.91",)))
    outs = ev.run_hook("prerouting", conn("10.244.0.5", "10.96.0.10", "udp", 53, iif="cni0"))
    assert sorted((o.verdict, o.conn.dst, o.conn.dport) for o in outs) == [
        ("accept", ip("10.244.0.2"), 53), ("accept", ip("10.244.0.3"), 53)]
    assert all(any(n.what == "branch" for n in o.notes) for o in outs)
    # Pod traffic to a pod elsewhere leaves unmasqueraded (FLANNEL-POSTRTG's RETURN); to the outside, masqueraded.
    [o] = ev.run_hook("postrouting", conn("10.244.0.5", "10.244.1.7", "udp", 53, oif="flannel.1"))
    assert (o.verdict, o.conn.src) == ("accept", ip("10.244.0.5"))
    [o] = ev.run_hook("postrouting", conn("10.244.0.5", "8.8.8.8", "udp", 53, oif="eth0"))
    assert (o.verdict, o.conn.src, o.conn.snat) == ("accept", ip("192.0.2.1"), True)


# -- kube-proxy (nftables mode), the upstream proxier test's expected transaction ----------------------------------

def declarations_first(text: str) -> str:
    """The transaction with its table, set, map and chain declarations before its rules and elements: nft refuses
    a rule that jumps to a chain not yet declared, and the upstream test compares the transaction as a whole."""
    lines = text.splitlines()
    decl = re.compile(r"^add (table|set|map|chain) ")
    return "\n".join([*(x for x in lines if decl.match(x)), *(x for x in lines if not decl.match(x))]) + "\n"


def nft_json_of(namespace: str, text: str) -> str:
    """Load ``text`` with the real ``nft -f`` and read the ruleset back as ``nft -j list ruleset``."""
    subprocess.run(["ip", "netns", "exec", namespace, "nft", "-f", "-"], input=text, text=True, check=True,
                   capture_output=True)
    try:
        return subprocess.run(["ip", "netns", "exec", namespace, "nft", "-j", "list", "ruleset"], check=True,
                              capture_output=True, text=True).stdout
    finally:
        subprocess.run(["ip", "netns", "exec", namespace, "nft", "flush", "ruleset"], check=True)


@pytest.mark.root
def test_kube_proxy_nftables_mode_parses_whole(scratch: str) -> None:
    text = KUBE_PROXY_NFT.read_text()
    [table] = parse_nft_json(nft_json_of(scratch, declarations_first(text)), str(KUBE_PROXY_NFT))
    assert (table.family, table.name) == ("ip", "kube-proxy")
    assert len(table.chains) == len(re.findall(r"^add chain ", text, re.M))
    assert len(rules([table])) == len(re.findall(r"^add rule ", text, re.M))
    assert sorted(table.maps) == ["firewall-ips", "no-endpoint-nodeports", "no-endpoint-services", "service-ips",
                                  "service-nodeports"]
    assert unknown([table]) == []
    jump_targets_resolve([table])
    [services] = [r for r in table.chains["services"].rules if r.target.arg == "service-ips"]
    assert (services.target.kind, services.target.keys) == ("vmap", ("dst", "proto", "dport"))
    assert len(table.maps["service-ips"]) == text.count("add element ip kube-proxy service-ips ") == 9
    # The session-affinity rule reads as nft writes it, not as a data structure.
    assert any(r.text.startswith("update @affinity-") for r in rules([table]))
    hooks = {c.name: (c.hook, c.priority, c.kind) for c in table.chains.values() if c.hook}
    assert hooks["nat-prerouting"] == ("prerouting", -100, "nat")
    assert hooks["filter-prerouting-pre-dnat"] == ("prerouting", -110, "filter")

    ev = Evaluator(Ruleset([table]), host(("192.168.0.2",)))
    # svc4: two endpoints, one numgen branch each, DNAT to port 80.
    outs = ev.run_hook("prerouting", conn("10.0.0.2", "172.30.0.44", "tcp", 80, iif="eth1"))
    assert sorted(o.conn.dst for o in outs) == [ip("10.180.0.4"), ip("10.180.0.5")]
    # A NodePort on the node's address, from outside: marked for masquerade, DNAT to svc3's endpoint.
    [o] = ev.run_hook("prerouting", conn("203.0.113.9", "192.168.0.2", "tcp", 3003, iif="eth0"))
    assert (o.conn.dst, o.conn.dport, o.conn.mark & 0x4000) == (ip("10.180.0.3"), 80, 0x4000)
    # A port the ClusterIP does not serve is rejected, an unallocated ClusterIP dropped, in filter-forward.
    [o] = ev.run_hook("forward", conn("10.0.0.2", "172.30.0.41", "udp", 80))
    assert (o.verdict, o.where) == ("reject", "ip kube-proxy/cluster-ips-check")
    [o] = ev.run_hook("forward", conn("10.0.0.2", "172.30.9.9", "udp", 80))
    assert o.verdict == "drop"
    # svc6 has no endpoints: rejected through the no-endpoint-services map.
    [o] = ev.run_hook("forward", conn("10.0.0.2", "172.30.0.46", "tcp", 80))
    assert (o.verdict, o.where) == ("reject", "ip kube-proxy/reject-chain")


# -- Calico (Felix's cali-* chains), from a Felix system-test host ---------------------------------------------------

QUOTE = "  # "


def calico_text(*names: str) -> str:
    """The quoted iptables-save lines of the excerpts, unquoted (the comment prefixed each with ``  # ``)."""
    return "\n".join(line[len(QUOTE):] for n in names for line in (CALICO / n).read_text().splitlines()
                     if line.startswith(QUOTE)) + "\n"


FILTER_STRETCHES = ("0-nat-end-and-filter-start.txt", "1a-filter.txt", "1b-filter.txt", "2-filter.txt",
                    "3-filter-end-and-ip6-nat.txt")


def calico_filter() -> str:
    """The filter table as far as the stretches give it: its header (policies, every chain's declaration, the
    jumps from INPUT, FORWARD and OUTPUT) and every ``-A`` line of the stretches, in order."""
    text = calico_text(*FILTER_STRETCHES)
    table = text[text.index("*filter\n"):text.index("COMMIT", text.index("*filter"))]
    return table + "COMMIT\n"


def test_calico_filter_chains_parse_and_name_what_is_not_simulated() -> None:
    text = calico_filter()
    [table] = parse_iptables_save(text, "iptables", 4, str(CALICO))
    assert len(rules([table])) == text.count("\n-A ") + text.startswith("-A ")
    jump_targets_resolve([table])
    # Every chain the stretches append to is declared in the header the first one holds.
    assert {line.split()[1] for line in text.splitlines() if line.startswith("-A ")} <= set(table.chains)
    assert [(n, c.policy) for n, c in table.chains.items() if c.policy] == [
        ("INPUT", "accept"), ("FORWARD", "accept"), ("OUTPUT", "accept")]
    fwd = table.chains["cali-FORWARD"].rules
    assert [r.target.kind for r in fwd] == ["accept", "jump", "accept", "accept", "mark", "jump", "jump", "accept"]
    assert fwd[1].target.arg == "cali-to-wl-dispatch" and fwd[1].matches[0].values == ("cali+",)
    assert [r.target.kind for r in table.chains["cali-from-wl-dispatch"].rules] == ["goto", "drop"]
    assert table.chains["cali-to-wl-dispatch"].rules[0].target.kind == "goto"
    # The IPIP rule matches an ipset whose members are not collected: named, never ignored.
    assert unknown([table]) == ["-m set"]
    ev = Evaluator(Ruleset([table]), host())
    # A packet into a workload interface: to-workload dispatch, the profile chain (empty here), then Felix's
    # "Drop if no profiles matched".
    outs = ev.run_chain(table, "cali-FORWARD", conn("10.0.0.1", "10.0.1.2", "udp", 53, iif="eth0",
                                                   oif="cali7de82f3e9d9"))
    assert [(end, o.rule.split(" -m comment")[0]) for end, o in outs] == [("drop", "-A cali-tw-cali7de82f3e9d9")]
    [(end, o)] = ev.run_chain(table, "cali-INPUT", conn("10.0.0.1", "10.0.1.2", "ipencap", 0))
    assert end == "unknown" and "-m set" in o.notes[-1].text


def test_calico_ip6_nat_table_parses() -> None:
    text = calico_text("3-filter-end-and-ip6-nat.txt").split("COMMIT", 1)[1]
    [table] = parse_iptables_save(text.split("\n", 1)[1], "ip6tables", 6, str(CALICO))
    assert (table.family, table.name, len(table.chains)) == ("ip6", "nat", 10)
    jump_targets_resolve([table])
    assert [r.target.arg for r in table.chains["cali-POSTROUTING"].rules] == ["cali-fip-snat", "cali-nat-outgoing"]
    assert table.chains["cali-nat-outgoing"].rules[0].target.kind == "masquerade"
    assert unknown([table]) == ["-m set", "-m set"]
