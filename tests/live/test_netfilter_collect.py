"""Packet filters are collected read-only per namespace: nftables as JSON, iptables of both back-ends."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from netblame.dataplane.netfilter import load
from netblame.live.live import collect_namespaces

pytestmark = pytest.mark.root
NS = f"nbt-nf-{os.getpid()}"


def sh(*argv: str, stdin: str | None = None) -> None:
    subprocess.run(["ip", "netns", "exec", NS, *argv], input=stdin, text=True, check=True, capture_output=True)


@pytest.fixture
def filtered() -> Iterator[str]:
    if os.geteuid() != 0:
        pytest.skip("needs root to build network namespaces")
    subprocess.run(["ip", "netns", "add", NS], check=True)
    try:
        sh("iptables-nft", "-P", "FORWARD", "DROP")
        sh("iptables-legacy", "-A", "INPUT", "-p", "udp", "--dport", "8472", "-j", "DROP")
        sh("nft", "-f", "-", stdin="table inet own {\n chain input {\n  type filter hook input priority 10;\n"
                                    "  tcp dport 22 accept\n }\n}\n")
        yield NS
    finally:
        subprocess.run(["ip", "netns", "del", NS], check=False)


def _ruleset_of(name: str) -> tuple[object, list[tuple[str, int]]]:
    [ns] = collect_namespaces(only=lambda ref: ref.name == name)[0]
    assert ns.netfilter is not None
    return ns, sorted((d.backend, d.family) for d in ns.netfilter.iptables)


def test_both_backends_and_nft_are_collected(filtered: str) -> None:
    ns, dumps = _ruleset_of(filtered)
    assert dumps == [("legacy", 4), ("nft", 4)]
    rs = load(ns)  # type: ignore[arg-type]
    assert rs is not None
    labels = {(t.backend, t.label) for t in rs.tables}
    # nft's copy of iptables-nft's filter table is left to the iptables dump; nft's own table is read from JSON.
    assert ("iptables", "filter") in labels and ("iptables-legacy", "filter") in labels
    assert ("nft", "inet own") in labels and ("nft", "ip filter") not in labels


def test_a_namespace_without_filters_costs_nothing_to_store() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to build network namespaces")
    subprocess.run(["ip", "netns", "add", NS], check=True)
    try:
        [ns] = collect_namespaces(only=lambda ref: ref.name == NS)[0]
        assert ns.netfilter is not None and ns.netfilter.nft is None and ns.netfilter.iptables == ()
        assert load(ns) is None
    finally:
        subprocess.run(["ip", "netns", "del", NS], check=False)
