"""Flannel net-conf.json, alone and inside the kube-flannel-cfg ConfigMap."""

from __future__ import annotations

import json
import textwrap

import pytest
from source_helpers import Reader, kinds, only_cni

NET_CONF = """{
  "Network": "10.244.0.0/16",
  "EnableNFTables": false,
  "Backend": {
    "Type": "vxlan"
  }
}
"""


def test_net_conf_alone_with_subnet_len_default(read: Reader) -> None:
    loaded = read(net_conf__json=NET_CONF)
    cni = only_cni(loaded)
    assert kinds(loaded) == {"net_conf.json": "flannel-net-conf"}
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.244.0.0/16", 2)]
    assert cni.block_v4 is not None and cni.block_v4.value == 24 and cni.block_v4.origin.default == "Flannel SubnetLen"
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("vxlan", 5)
    assert cni.ipam_mode is None


@pytest.mark.parametrize(("network", "subnet_len"), [
    ("10.244.0.0/16", 24), ("10.244.0.0/22", 24), ("10.244.0.0/23", 25), ("10.244.0.0/26", 28),
    ("fd00:10::/48", 64), ("fd00:10::/62", 64), ("fd00:10::/63", 65),
])
def test_subnet_len_default_follows_the_network_size(read: Reader, network: str, subnet_len: int) -> None:
    key = "IPv6Network" if ":" in network else "Network"
    cni = only_cni(read(net_conf__json=json.dumps({key: network, "Backend": {"Type": "host-gw"}})))
    block = cni.block_v6 if ":" in network else cni.block_v4
    assert block is not None and block.value == subnet_len


def _configmap(net_conf: str) -> str:
    return ("kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: kube-flannel-cfg\n  namespace: kube-flannel\n"
            "data:\n  net-conf.json: |\n" + textwrap.indent(net_conf, "    "))


def test_configmap_yaml_points_into_the_block(read: Reader) -> None:
    loaded = read(flannel__yml=_configmap(NET_CONF.replace('"EnableNFTables"', '"SubnetLen": 25,\n  "EnableNFTables"')))
    cni = only_cni(loaded)
    assert kinds(loaded) == {"flannel.yml": "flannel-configmap"}
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.244.0.0/16", 9)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (25, 10)
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "kube-subnet-mgr"


def test_configmap_without_subnet_len_leaves_the_block_to_the_node_podcidr(read: Reader) -> None:
    cni = only_cni(read(flannel__yml=_configmap(NET_CONF)))
    assert cni.block_v4 is None  # --kube-subnet-mgr uses each node's spec.podCIDR


def test_configmap_json_names_the_string(read: Reader) -> None:
    doc = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "kube-flannel-cfg"},
           "data": {"net-conf.json": NET_CONF}}
    cni = only_cni(read(flannel__json=json.dumps(doc)))
    assert cni.pools[0].origin.object == "data.net-conf.json, line 2"


def test_broken_net_conf_json_in_configmap_is_one_error_with_the_file_line(read: Reader) -> None:
    loaded = read(flannel__yml=_configmap(NET_CONF.replace('"vxlan"', '"vxlan",')), errors_ok=True)
    assert len(loaded.errors) == 1
    assert loaded.errors[0].line == 12  # the line with the trailing comma
    assert loaded.errors[0].message.startswith("data.net-conf.json: not valid JSON")


def test_ipv6_network_in_network_is_an_error(read: Reader) -> None:
    loaded = read(net_conf__json=NET_CONF.replace("10.244.0.0/16", "fd00:10:244::/56"), errors_ok=True)
    assert [(e.line, e.message) for e in loaded.errors] == [
        (2, "Network: expected an IPv4 CIDR for an IPv4 network such as 10.244.0.0/16, got IPv6 'fd00:10:244::/56'")]
