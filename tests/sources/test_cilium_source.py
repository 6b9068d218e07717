"""Cilium Helm values (both layouts) and the cilium-config ConfigMap."""

from __future__ import annotations

import json

import pytest
import yaml
from source_helpers import Reader, kinds, only_cni

from netblame.sources.cilium import looks_like_values

MINIMAL = """
# helm install cilium cilium/cilium -f values.yaml
kubeProxyReplacement: true
k8sServiceHost: 192.168.1.10
k8sServicePort: 6443
ipam:
  mode: cluster-pool
"""


def test_unset_pool_mask_and_routing_get_chart_defaults_with_default_origins(read: Reader) -> None:
    loaded = read(values__yaml=MINIMAL)
    cni = only_cni(loaded)
    assert kinds(loaded) == {"values.yaml": "cilium-helm-values"}
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "cluster-pool"
    assert cni.ipam_mode.origin.default is None and cni.ipam_mode.origin.line == 6
    assert [c.text for c in cni.pools] == ["10.0.0.0/8"]
    pool_origin = cni.pools[0].origin
    assert pool_origin.default == "Cilium Helm chart ipam.operator.clusterPoolIPv4PodCIDRList"
    assert pool_origin.line == 5  # nearest line in the file: `ipam:`
    assert str(pool_origin).endswith(
        "values.yaml:5 (default: Cilium Helm chart ipam.operator.clusterPoolIPv4PodCIDRList)")
    assert cni.block_v4 is not None and cni.block_v4.value == 24 and cni.block_v4.origin.default
    assert cni.block_v6 is None  # ipv6.enabled defaults to false
    assert cni.routing is not None and cni.routing.value == "vxlan" and cni.routing.origin.default


def test_explicit_values_dual_stack_native_routing(read: Reader) -> None:
    cni = only_cni(read(values__yaml="""
        ipv6:
          enabled: true
        routingMode: native
        autoDirectNodeRoutes: true
        ipv4NativeRoutingCIDR: 10.42.0.0/16
        MTU: 1450
        ipam:
          operator:
            clusterPoolIPv4PodCIDRList: ["10.42.0.0/16"]
            clusterPoolIPv4MaskSize: 26
            clusterPoolIPv6MaskSize: 112
        """))
    assert [(c.text, c.origin.line, c.origin.default) for c in cni.pools] == [
        ("10.42.0.0/16", 9, None), ("fd00::/104", 8, "Cilium Helm chart ipam.operator.clusterPoolIPv6PodCIDRList")]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (26, 10)
    assert cni.block_v6 is not None and cni.block_v6.value == 112
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("native", 3)
    assert cni.mtu is not None and cni.mtu.value == 1450
    assert cni.ipam_mode is not None and cni.ipam_mode.origin.default == "Cilium Helm chart ipam.mode"


def test_pre_1_14_tunnel_layout(read: Reader) -> None:
    cni = only_cni(read(values__yaml="""
        tunnel: disabled
        autoDirectNodeRoutes: true
        ipam:
          operator:
            clusterPoolIPv4PodCIDR: 10.10.0.0/16
            clusterPoolIPv4PodCIDRList: []
        """))
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("native", 1)
    assert [c.text for c in cni.pools] == ["10.10.0.0/16"]


def test_kubernetes_ipam_mode_has_no_pool(read: Reader) -> None:
    cni = only_cni(read(values__yaml="ipam:\n  mode: kubernetes\n"))
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "kubernetes"
    assert cni.pools == () and cni.block_v4 is None


def test_helm_get_values_json_equals_yaml(read: Reader) -> None:
    values = {"kubeProxyReplacement": True, "ipam": {"mode": "cluster-pool", "operator": {
        "clusterPoolIPv4PodCIDRList": "172.16.0.0/16", "clusterPoolIPv4MaskSize": 24}}}
    from_json = only_cni(read(values__json=json.dumps(values)))
    from_yaml = only_cni(read(values__yaml=yaml.safe_dump(values)))
    assert [c.network for c in from_json.pools] == [c.network for c in from_yaml.pools]
    assert from_json.pools[0].origin.object == "ipam.operator.clusterPoolIPv4PodCIDRList"
    assert from_json.block_v4 is not None and from_yaml.block_v4 is not None
    assert from_json.block_v4.value == from_yaml.block_v4.value == 24


def test_ipv6_range_in_the_ipv4_list_is_an_error_naming_the_line(read: Reader) -> None:
    loaded = read(values__yaml="ipam:\n  mode: cluster-pool\n  operator:\n    clusterPoolIPv4PodCIDRList:\n"
                               "    - fd00:10::/104\n", errors_ok=True)
    assert [(e.line, e.message) for e in loaded.errors] == [
        (5, "ipam.operator.clusterPoolIPv4PodCIDRList: expected an IPv4 CIDR for an IPv4 pool CIDR, "
            "got IPv6 'fd00:10::/104'")]


def test_cilium_config_configmap(read: Reader) -> None:
    loaded = read(cm__yaml="""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cilium-config
          namespace: kube-system
        data:
          ipam: cluster-pool
          cluster-pool-ipv4-cidr: "10.0.0.0/16 10.1.0.0/16"
          cluster-pool-ipv4-mask-size: "25"
          enable-ipv4: "true"
          enable-ipv6: "false"
          cluster-pool-ipv6-cidr: fd00::/104
          routing-mode: tunnel
          tunnel-protocol: geneve
        """)
    cni = only_cni(loaded)
    assert kinds(loaded) == {"cm.yaml": "cilium-configmap"}
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.0.0.0/16", 8), ("10.1.0.0/16", 8)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (25, 9)
    assert cni.routing is not None and cni.routing.value == "geneve"
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "cluster-pool"


@pytest.mark.parametrize("text", [
    "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n",           # netplan
    "installation:\n  cni:\n    type: Calico\n  calicoNetwork:\n    ipPools: []\n",    # tigera-operator chart
    "replicaCount: 2\nimage:\n  repository: nginx\nservice:\n  type: ClusterIP\n",    # an application chart
    "operator:\n  replicas: 1\ncluster:\n  name: x\n",                                # generic keys only
    "ipam:\n  mode: dhcp\nhubble: {}\napiVersion: v1\nkind: Pod\n",                 # a Kubernetes object
    "tunnel: vxlan\n",                                                                 # one generic key
])
def test_other_yaml_is_not_taken_for_cilium_values(text: str) -> None:
    assert not looks_like_values(yaml.safe_load(text))


@pytest.mark.parametrize("text", [
    "ipam:\n  operator:\n    clusterPoolIPv4PodCIDRList: [10.1.0.0/16]\n",
    "ipam:\n  mode: kubernetes\n",
    "kubeProxyReplacement: true\nk8sServiceHost: 10.0.0.1\n",
    "routingMode: native\nautoDirectNodeRoutes: true\n",
])
def test_small_real_cilium_values_are_recognised(text: str) -> None:
    assert looks_like_values(yaml.safe_load(text))


@pytest.mark.parametrize(("text", "routing"), [
    ("eni:\n  enabled: false\ngke:\n  enabled: true\nipam:\n  mode: kubernetes\n", "native"),
    ("eni:\n  enabled: true\nipam:\n  mode: eni\n", "native"),
    ("eni:\n  enabled: false\nipam:\n  mode: kubernetes\n", "vxlan"),
    ("routingMode: tunnel\ntunnelProtocol: geneve\nipam:\n  mode: kubernetes\n", "geneve"),
])
def test_routing_follows_the_chart_template(read: Reader, text: str, routing: str) -> None:
    cni = only_cni(read(values__yaml=text))
    assert cni.routing is not None and cni.routing.value == routing
