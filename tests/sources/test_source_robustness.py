"""Sources never crash on odd input: any shape of value under the keys they read either gives a
model or an InputError (one clean line), in JSON and in YAML. And the fast CIDR parser agrees with
the standard library on every input."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netblame.errors import InputError
from netblame.model.cidr import _fast_parse, parse_ip
from netblame.sources import Document, builtin_sources
from netblame.sources.loader import parse_documents

KEYS = [
    "networking", "podSubnet", "serviceSubnet", "dnsDomain", "controllerManager", "apiServer", "extraArgs", "name",
    "value", "nodeRegistration", "kubeletExtraArgs", "maxPods", "clusterDNS", "clusterDomain", "clusterCIDR", "data",
    "ClusterConfiguration", "kubelet", "spec", "containers", "command", "args", "template", "env", "valueFrom",
    "items", "metadata", "status", "addresses", "type", "address", "podCIDR", "podCIDRs", "ipam", "mode", "operator",
    "clusterPoolIPv4PodCIDRList", "clusterPoolIPv4PodCIDR", "clusterPoolIPv4MaskSize", "ipv4", "ipv6", "enabled",
    "routingMode", "tunnel", "tunnelProtocol", "MTU", "eni", "cidr", "blockSize", "ipipMode", "vxlanMode", "disabled",
    "calicoNetwork", "ipPools", "encapsulation", "cni", "Network", "IPv6Network", "SubnetLen", "Backend", "Type",
    "EnableIPv6", "net-conf.json", "cluster-pool-ipv4-cidr", "cluster-pool-ipv4-mask-size", "routing-mode", "kind",
]
TEXTS = [
    "", "x", "10.0.0.0/8", "fd00::/104", "10.0.0.256/8", "10.0.0.0/33", "1.2.3.4", "Node", "InternalIP", "true",
    "--cluster-cidr=10.1.0.0/16", "--node-cidr-mask-size", "kube-controller-manager", "kube-apiserver", "calico-node",
    "Always", "CrossSubnet", "VXLAN", "cluster-pool", "native", "24", "-3", "CALICO_IPV4POOL_CIDR",
    "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.1.0.0/16\n",
    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: [1]\n",
    "kind: ClusterConfiguration\n: [", '{"Network": "10.244.0.0/16", "Backend": {"Type": 3}}', "{",
]
leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.sampled_from(TEXTS))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)), max_leaves=25)

# Real-shaped documents of every kind the sources read; the test replaces one value somewhere in
# them with an arbitrary one.
BASES: list[dict[str, Any]] = [
    {"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration",
     "networking": {"podSubnet": "10.244.0.0/16", "serviceSubnet": "10.96.0.0/12", "dnsDomain": "cluster.local"},
     "controllerManager": {"extraArgs": [{"name": "node-cidr-mask-size", "value": "24"}]},
     "apiServer": {"extraArgs": {"service-cluster-ip-range": "10.96.0.0/12"}}},
    {"apiVersion": "kubeadm.k8s.io/v1beta3", "kind": "InitConfiguration",
     "nodeRegistration": {"kubeletExtraArgs": {"max-pods": "60", "cluster-dns": "10.96.0.10"}}},
    {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "maxPods": 110,
     "clusterDNS": ["10.96.0.10"], "clusterDomain": "cluster.local"},
    {"apiVersion": "kubeproxy.config.k8s.io/v1alpha1", "kind": "KubeProxyConfiguration", "clusterCIDR": "10.1.0.0/16"},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubeadm-config"},
     "data": {"ClusterConfiguration": TEXTS[-5]}},
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "kube-controller-manager"}, "spec": {"containers": [
        {"name": "kube-controller-manager", "command": ["kube-controller-manager", "--cluster-cidr=10.1.0.0/16",
                                                        "--allocate-node-cidrs", "--node-cidr-mask-size-ipv4=24"]}]}},
    {"apiVersion": "v1", "kind": "List", "items": [
        {"kind": "Node", "metadata": {"name": "n1"}, "spec": {"podCIDR": "10.1.0.0/24", "podCIDRs": ["10.1.0.0/24"]},
         "status": {"addresses": [{"type": "InternalIP", "address": "192.168.1.2"}]}}]},
    {"apiVersion": "apps/v1", "kind": "DaemonSet", "spec": {"template": {"spec": {"containers": [
        {"name": "calico-node", "env": [{"name": "CALICO_IPV4POOL_CIDR", "value": "10.1.0.0/16"},
                                        {"name": "CALICO_IPV4POOL_IPIP", "value": "Always"}]}]}}}},
    {"apiVersion": "projectcalico.org/v3", "kind": "IPPool",
     "spec": {"cidr": "10.1.0.0/16", "blockSize": 26, "ipipMode": "Always", "disabled": False}},
    {"apiVersion": "operator.tigera.io/v1", "kind": "Installation", "spec": {
        "cni": {"ipam": {"type": "Calico"}},
        "calicoNetwork": {"ipPools": [{"cidr": "10.1.0.0/16", "blockSize": 26, "encapsulation": "VXLAN"}]}}},
    {"kubeProxyReplacement": True, "routingMode": "tunnel", "tunnelProtocol": "geneve", "MTU": 1450,
     "ipv6": {"enabled": True}, "ipam": {"mode": "cluster-pool", "operator": {
         "clusterPoolIPv4PodCIDRList": ["10.1.0.0/16"], "clusterPoolIPv4MaskSize": 24}}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cilium-config"},
     "data": {"ipam": "cluster-pool", "cluster-pool-ipv4-cidr": "10.1.0.0/16 10.2.0.0/16", "routing-mode": "tunnel"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-flannel-cfg"},
     "data": {"net-conf.json": '{"Network": "10.244.0.0/16", "SubnetLen": 24, "Backend": {"Type": "vxlan"}}'}},
    {"Network": "10.244.0.0/16", "IPv6Network": "fd00::/56", "EnableIPv6": True, "Backend": {"Type": "vxlan"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "calico-config"},
     "data": {"cni_network_config": '{"plugins": [{"type": "calico", "ipam": {"type": "host-local"}}]}'}},
    {"trafficEncapMode": "encap", "tunnelType": "geneve", "serviceCIDR": "10.96.0.0/12", "serviceCIDRv6": "fd00::/112"},
    {"nodeIPAM": {"enableNodeIPAM": True, "clusterCIDRs": ["10.1.0.0/16"], "nodeCIDRMaskSizeIPv4": 24}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "antrea-config"},
     "data": {"antrea-agent.conf": 'serviceCIDR: "10.96.0.0/12"\n',
              "antrea-controller.conf": "nodeIPAM:\n  enableNodeIPAM: true\n  clusterCIDRs: [10.1.0.0/16]\n"}},
]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value``."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += paths(item, (*prefix, i))
    return out


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


def read_all(doc: Document) -> None:
    for source in builtin_sources():
        try:
            if source.accepts(doc):
                source.read(doc)
        except InputError as exc:
            assert str(exc) and "\n" not in exc.message


def read_both_ways(data: Any) -> None:
    read_all(Document(path="in.json", text="", data=data, json=True))
    for doc in parse_documents(yaml.safe_dump(data), "in.yaml"):
        read_all(doc)


@pytest.mark.parametrize("base", BASES, ids=[str(b.get("kind", next(iter(b)))) for b in BASES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_anywhere_gives_a_model_or_one_clean_error(base: dict[str, Any], data: st.DataObject) -> None:
    where = data.draw(st.sampled_from(paths(base)[1:]))
    read_both_ways(replaced(base, where, data.draw(values)))


@pytest.mark.parametrize("base", BASES[:1] + BASES[-4:], ids=["kubeadm", "cilium", "cilium-cm", "flannel-cm", "net"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.dictionaries(st.sampled_from(KEYS), values, max_size=6))
def test_any_extra_keys_give_a_model_or_one_clean_error(base: dict[str, Any], body: dict[str, Any]) -> None:
    read_both_ways({**base, **body})


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.builds(lambda a, p: f"{ipaddress.IPv4Address(a)}/{p}", st.integers(0, 2**32 - 1), st.integers(0, 40)),
    st.builds(lambda a, p: f"{ipaddress.IPv6Address(a)}/{p}", st.integers(0, 2**128 - 1), st.integers(0, 140)),
    st.builds(lambda a, b, p: f"{a}.{b}.0.0/{p}", st.integers(0, 300), st.text("0123456789", max_size=4),
              st.text("0123456789x", max_size=3)),
    st.text(alphabet="0123456789abcdef.:/", max_size=45),
))
def test_fast_cidr_parser_agrees_with_ipaddress(text: str) -> None:
    try:
        expected: ipaddress.IPv4Network | ipaddress.IPv6Network | None = ipaddress.ip_interface(text).network
    except ValueError:
        expected = None
    fast = _fast_parse(text)
    if fast is not None:  # the fast path may decline, never disagree
        assert fast == expected and fast.prefixlen == expected.prefixlen
    if expected is not None and "/" in text and text.partition("/")[2].isdigit() and "%" not in text:
        assert fast == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(0, 2**32 - 1).map(lambda a: str(ipaddress.IPv4Address(a))),
                 st.integers(0, 2**128 - 1).map(lambda a: str(ipaddress.IPv6Address(a))),
                 st.text(alphabet="0123456789abcdef.:", max_size=40)))
def test_fast_address_parser_agrees_with_ipaddress(text: str) -> None:
    try:
        expected: Any = ipaddress.ip_address(text)
    except ValueError:
        with pytest.raises(ValueError):
            parse_ip(text)
        return
    assert parse_ip(text) == expected
