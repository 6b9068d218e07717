"""kubeadm configuration, component configs and the ConfigMaps that carry them."""

from __future__ import annotations

import json
import textwrap
from ipaddress import ip_address
from pathlib import Path

from source_helpers import Reader, cluster_of, kinds

V1BETA3 = """
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.28.4
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16,fd00:10:244::/56
  serviceSubnet: 10.96.0.0/12
controllerManager:
  extraArgs:
    node-cidr-mask-size-ipv4: "25"
    node-cidr-mask-size-ipv6: "64"
apiServer:
  extraArgs:
    authorization-mode: Node,RBAC
"""

MULTI_DOC = """
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  name: pi-1
  kubeletExtraArgs:
    - name: max-pods
      value: "60"
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 172.16.0.0/16
  serviceSubnet: 10.96.0.0/12
controllerManager:
  extraArgs:
    - name: node-cidr-mask-size
      value: "26"
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 172.16.0.0/16
mode: ipvs
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
maxPods: 60
"""


def test_v1beta3_dual_stack_with_extra_args_map(read: Reader) -> None:
    loaded = read(kubeadm__yaml=V1BETA3)
    cluster = cluster_of(loaded)
    assert [c.text for c in cluster.pod_cidrs] == ["10.244.0.0/16", "fd00:10:244::/56"]
    assert [str(c.origin) for c in cluster.pod_cidrs] == [f"{loaded.inputs[0].path}:6"] * 2
    assert cluster.service_cidrs[0].text == "10.96.0.0/12"
    assert cluster.node_mask(4).value == 25
    assert cluster.node_mask(4).origin.line == 10
    assert cluster.node_mask(6).value == 64
    assert cluster.dns_domain is not None and cluster.dns_domain.value == "cluster.local"
    # kubeadm passes --allocate-node-cidrs=true whenever podSubnet is set.
    assert cluster.allocate_node_cidrs is not None and cluster.allocate_node_cidrs.value is True
    assert kinds(loaded) == {"kubeadm.yaml": "kubeadm-cluster-configuration"}


def test_multi_document_init_cluster_proxy_kubelet(read: Reader) -> None:
    loaded = read(kubeadm__yaml=MULTI_DOC)
    cluster = cluster_of(loaded)
    assert not cluster.conflicts
    assert [c.text for c in cluster.pod_cidrs] == ["172.16.0.0/16"]
    assert cluster.node_mask(4).value == 26  # v1beta4 name/value extraArgs, single-stack IPv4
    assert cluster.node_mask(4).origin.line == 17
    assert cluster.max_pods is not None and cluster.max_pods.value == 60
    assert cluster.max_pods.origin.line == 7  # the InitConfiguration kubelet flag comes first
    assert [a.value for a in cluster.cluster_dns] == [ip_address("10.96.0.10")]
    assert cluster.cluster_dns[0].origin.line == 27
    assert kinds(loaded)["kubeadm.yaml"] == ("kubeadm-node-configuration, kubeadm-cluster-configuration, "
                                             "kube-proxy-configuration, kubelet-configuration")


def test_single_node_mask_flag_follows_an_ipv6_only_cluster(read: Reader) -> None:
    cluster = cluster_of(read(kubeadm__yaml="""
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        networking:
          podSubnet: fd00:10:244::/56
        controllerManager:
          extraArgs:
            node-cidr-mask-size: "64"
        """))
    assert cluster.node_mask_v6 is not None and cluster.node_mask_v6.value == 64
    assert cluster.node_mask_v4 is None


def test_kube_proxy_cluster_cidr_disagreeing_with_pod_subnet_is_a_conflict(read: Reader) -> None:
    loaded = read(kubeadm__yaml=MULTI_DOC.replace("clusterCIDR: 172.16.0.0/16", "clusterCIDR: 10.244.0.0/16"))
    conflicts = cluster_of(loaded).conflicts
    assert len(conflicts) == 1
    assert conflicts[0].setting == "pod_cidrs (IPv4)"
    assert [(v.value, v.origin.line) for v in conflicts[0].values] == [("172.16.0.0/16", 12), ("10.244.0.0/16", 21)]


def _configmap_yaml(inner: str) -> str:
    body = textwrap.indent(textwrap.dedent(inner).strip("\n"), "    ")
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubeadm-config\n  namespace: kube-system\n"
            f"data:\n  ClusterConfiguration: |\n{body}\n")


INNER = """
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
"""


def test_kubeadm_config_configmap_yaml_points_into_the_file(read: Reader) -> None:
    loaded = read(cm__yaml=_configmap_yaml(INNER))
    cluster = cluster_of(loaded)
    assert kinds(loaded) == {"cm.yaml": "component-config-configmap"}
    pod = cluster.pod_cidrs[0]
    assert pod.text == "10.244.0.0/16"
    # ConfigMap header is 7 lines; podSubnet is line 5 of the embedded document.
    assert pod.origin.line == 12
    lines = Path(loaded.inputs[0].path).read_text().splitlines()
    assert lines[pod.origin.line - 1].strip() == "podSubnet: 10.244.0.0/16"


def test_kubeadm_config_configmap_json_names_the_string_and_inner_line(read: Reader) -> None:
    doc = {"apiVersion": "v1", "kind": "ConfigMap",
           "metadata": {"name": "kubeadm-config", "namespace": "kube-system"},
           "data": {"ClusterConfiguration": textwrap.dedent(INNER).lstrip("\n")}}
    from_json = cluster_of(read(cm__json=json.dumps(doc, indent=4)))
    from_yaml = cluster_of(read(cm__yaml=_configmap_yaml(INNER)))
    assert from_json.pod_cidrs[0].network == from_yaml.pod_cidrs[0].network
    assert from_json.service_cidrs[0].network == from_yaml.service_cidrs[0].network
    assert from_json.dns_domain is not None and from_yaml.dns_domain is not None
    assert from_json.dns_domain.value == from_yaml.dns_domain.value
    origin = from_json.pod_cidrs[0].origin
    assert origin.line is None and origin.object == "data.ClusterConfiguration, line 5"


def test_kubectl_list_of_configmaps_reads_kubelet_and_kube_proxy(read: Reader) -> None:
    loaded = read(cms__yaml="""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: kubelet-config, namespace: kube-system}
          data:
            kubelet: |
              apiVersion: kubelet.config.k8s.io/v1beta1
              kind: KubeletConfiguration
              maxPods: 250
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: kube-proxy, namespace: kube-system}
          data:
            config.conf: |-
              apiVersion: kubeproxy.config.k8s.io/v1alpha1
              kind: KubeProxyConfiguration
              clusterCIDR: 10.244.0.0/16
        """)
    cluster = cluster_of(loaded)
    assert cluster.max_pods is not None and (cluster.max_pods.value, cluster.max_pods.origin.line) == (250, 11)
    assert (cluster.pod_cidrs[0].text, cluster.pod_cidrs[0].origin.line) == ("10.244.0.0/16", 19)


def test_bad_cidr_in_embedded_document_names_the_file_line(read: Reader) -> None:
    loaded = read(cm__yaml=_configmap_yaml(INNER.replace("10.244.0.0/16", "10.244.0.0/33")), errors_ok=True)
    assert len(loaded.errors) == 1
    error = loaded.errors[0]
    assert error.line == 12
    assert "networking.podSubnet" in error.message and "10.244.0.0/33" in error.message
    assert "longer than the 32 bits" in error.message
