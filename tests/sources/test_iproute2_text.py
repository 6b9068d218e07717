"""Text ``ip addr``/``ip link``/``ip route`` output reads into the same model as ``ip -j``: both printed by
the real ip command from a namespace built for the test (veth pair, bridge, VXLAN, addresses, routes), and
the pasted samples of the corpus read without a crash."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from netblame.model.snapshot import Namespace, Snapshot
from netblame.sources import builtin_sources, load_paths
from netblame.sources.iproute2 import RawNamespace, parse_namespace
from netblame.sources.iproute2_text import looks_like_ip_text, parse_text

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
root_only = pytest.mark.skipif(shutil.which("ip") is None or subprocess.run(
    ["id", "-u"], capture_output=True, text=True, check=False).stdout.strip() != "0", reason="needs root and ip")


def ip(*args: str) -> str:
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def netns() -> Iterator[str]:
    name = f"nb-rin-{uuid.uuid4().hex[:8]}"
    ip("netns", "add", name)
    try:
        for command in (
            "link add br-rin type bridge", "link set br-rin up",
            "link add veth-a type veth peer name veth-b", "link set veth-a master br-rin", "link set veth-a up",
            "link set veth-b up", "link add dummy0 type veth peer name up1", "link set dummy0 up mtu 1400",
            "link set up1 up",
            "addr add 192.0.2.10/24 dev dummy0", "addr add 2001:db8::10/64 dev dummy0 nodad",
            "link add flannel.1 type vxlan id 1 local 192.0.2.10 dev dummy0 dstport 8472 nolearning",
            "link set flannel.1 up mtu 1350", "addr add 10.244.0.0/32 dev flannel.1",
            "addr add 10.244.0.1/24 dev br-rin",
            "route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink",
            "route add default via 192.0.2.1 dev dummy0 metric 100",
            "route add blackhole 198.51.100.0/24", "route add 2001:db8:1::/64 via 2001:db8::1 dev dummy0",
        ):
            ip("-n", name, *command.split())
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def namespace(texts: dict[str, str]) -> Namespace:
    return parse_namespace(RawNamespace(texts=texts), ns_id="host", role="host").namespace


def from_text(text: str) -> Namespace:
    parsed = parse_text(text)
    assert parsed.unread == []
    return namespace({"addr": orjson.dumps(parsed.links).decode(), "route4": orjson.dumps(parsed.routes[4]).decode(),
                      "route6": orjson.dumps(parsed.routes[6]).decode()})


@root_only
def test_text_and_json_give_the_same_model(netns: str) -> None:
    text = ip("-n", netns, "-d", "addr") + ip("-n", netns, "route") + ip("-n", netns, "-6", "route")
    assert looks_like_ip_text(text)
    got = from_text(text)
    assert len(got.addresses) >= 6 and len(got.routes) >= 6 and len(got.links) == 7
    want = namespace({"addr": ip("-n", netns, "-j", "-d", "addr"), "route4": ip("-n", netns, "-j", "route"),
                      "route6": ip("-n", netns, "-j", "-6", "route")})
    assert got.addresses == want.addresses
    assert got.routes == want.routes
    links = {(lk.name, lk.kind, lk.mtu, lk.admin_up, lk.master, lk.mac, lk.cni) for lk in got.links}
    assert links == {(lk.name, lk.kind, lk.mtu, lk.admin_up, lk.master, lk.mac, lk.cni) for lk in want.links}
    vxlan = next(lk for lk in got.links if lk.name == "flannel.1").vxlan
    assert vxlan == next(lk for lk in want.links if lk.name == "flannel.1").vxlan
    assert vxlan is not None and (vxlan.vni, vxlan.port, vxlan.learning) == (1, 8472, False)


@root_only
def test_text_without_details_still_gives_addresses_and_routes(netns: str) -> None:
    got = from_text(ip("-n", netns, "addr") + ip("-n", netns, "route"))
    want = namespace({"addr": ip("-n", netns, "-j", "addr"), "route4": ip("-n", netns, "-j", "route")})
    assert got.addresses == want.addresses and got.routes == want.routes


@pytest.mark.parametrize("case", ["calico-3589-ip-addr-tunl0", "flannel-1387-ip-addr-master",
                                  "flannel-556-stale-subnet-env"])
def test_pasted_samples(case: str) -> None:
    files = [str(p) for p in (REAL / case).iterdir() if p.name != "case.yaml"]
    loaded = load_paths(files, builtin_sources())
    assert not loaded.errors
    (snapshot,) = [f for f in loaded.fragments if isinstance(f, Snapshot)]
    (node,) = snapshot.nodes
    addresses = {(a.dev, a.address, a.prefixlen) for ns in node.namespaces for a in ns.addresses}
    expected = {"calico-3589-ip-addr-tunl0": ("tunl0", "100.66.141.153", 32),
                "flannel-1387-ip-addr-master": ("eth0", "10.33.188.138", 24),
                "flannel-556-stale-subnet-env": ("flannel.1", "192.168.100.0", 16)}[case]
    assert expected in addresses


def test_an_address_line_without_address_is_noted() -> None:
    loaded = load_paths([str(REAL / "flannel-1387-ip-addr-master/ip-a.txt")], builtin_sources())
    (record,) = loaded.inputs
    assert "line 19: not read: an inet line without an address" in record.note


@root_only
def test_brief_output_gives_the_same_addresses(netns: str) -> None:
    text = ip("-n", netns, "-br", "addr")
    assert looks_like_ip_text(text)
    got = from_text(text)
    want = namespace({"addr": ip("-n", netns, "-j", "addr")})
    assert sorted(got.addresses, key=repr) == sorted(want.addresses, key=repr)
    assert {lk.name for lk in got.links} == {lk.name for lk in want.links}


@root_only
@pytest.mark.skipif(shutil.which("route") is None, reason="needs net-tools' route")
def test_net_tools_route_table_gives_the_same_routes(netns: str) -> None:
    text = subprocess.run(["ip", "netns", "exec", netns, "route", "-n"], capture_output=True, text=True,
                          check=True).stdout
    assert looks_like_ip_text(text)
    got = from_text(text)
    want = namespace({"route4": ip("-n", netns, "-j", "route")})
    # route -n prints no protocol, source or scope: compare what it does print
    def key(r: object) -> tuple[object, ...]:
        return (r.dst, r.dev, r.gateway, r.metric, r.type)  # type: ignore[attr-defined]

    assert sorted(map(key, got.routes), key=repr) == sorted(map(key, want.routes), key=repr)
    assert len(got.routes) >= 4
