"""Control-plane static pods, and conflicts between the places a pod range is stated."""

from __future__ import annotations

import json

import yaml
from source_helpers import Reader, cluster_of, kinds

# As kubeadm writes /etc/kubernetes/manifests/kube-controller-manager.yaml (trimmed volumes).
KCM = """
apiVersion: v1
kind: Pod
metadata:
  labels:
    component: kube-controller-manager
    tier: control-plane
  name: kube-controller-manager
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-controller-manager
    - --allocate-node-cidrs=true
    - --authentication-kubeconfig=/etc/kubernetes/controller-manager.conf
    - --bind-address=127.0.0.1
    - --cluster-cidr=10.244.0.0/16
    - --cluster-name=kubernetes
    - --controllers=*,bootstrapsigner,tokencleaner
    - --leader-elect=true
    - --node-cidr-mask-size=24
    - --service-cluster-ip-range=10.96.0.0/12
    - --use-service-account-credentials=true
    image: registry.k8s.io/kube-controller-manager:v1.30.2
    imagePullPolicy: IfNotPresent
    name: kube-controller-manager
  hostNetwork: true
  priorityClassName: system-node-critical
"""

APISERVER = """
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address=192.168.1.10
    - --allow-privileged=true
    - --service-cluster-ip-range
    - 10.96.0.0/12
    image: registry.k8s.io/kube-apiserver:v1.30.2
    name: kube-apiserver
"""


def test_controller_manager_flags_with_their_lines(read: Reader) -> None:
    loaded = read(kcm__yaml=KCM)
    cluster = cluster_of(loaded)
    assert kinds(loaded) == {"kcm.yaml": "control-plane-pod"}
    assert [(c.text, c.origin.line) for c in cluster.pod_cidrs] == [("10.244.0.0/16", 16)]
    assert [(c.text, c.origin.line) for c in cluster.service_cidrs] == [("10.96.0.0/12", 21)]
    assert cluster.allocate_node_cidrs is not None and cluster.allocate_node_cidrs.value is True
    mask = cluster.node_mask_v4
    assert mask is not None and (mask.value, mask.origin.line) == (24, 20)


def test_apiserver_flag_given_as_two_arguments(read: Reader) -> None:
    cluster = cluster_of(read(api__yaml=APISERVER))
    assert [(c.text, c.origin.line) for c in cluster.service_cidrs] == [("10.96.0.0/12", 13)]
    assert not cluster.pod_cidrs


def test_pod_from_kubectl_json_equals_yaml_and_uses_object_paths(read: Reader) -> None:
    pod = yaml.safe_load(KCM)
    from_json = cluster_of(read(kcm__json=json.dumps({"apiVersion": "v1", "kind": "List", "items": [pod]})))
    from_yaml = cluster_of(read(kcm__yaml=KCM))
    for field in ("pod_cidrs", "service_cidrs"):
        assert [c.network for c in getattr(from_json, field)] == [c.network for c in getattr(from_yaml, field)]
    for field in ("node_mask_v4", "allocate_node_cidrs"):
        assert getattr(from_json, field).value == getattr(from_yaml, field).value
    assert from_json.pod_cidrs[0].origin.object == "items[0].spec.containers[0].command[4]"
    assert from_json.pod_cidrs[0].origin.line is None


def test_bad_flag_value_names_flag_file_and_line(read: Reader) -> None:
    loaded = read(kcm__yaml=KCM.replace("--cluster-cidr=10.244.0.0/16", "--cluster-cidr=10.0.0.256/8"), errors_ok=True)
    assert len(loaded.errors) == 1
    error = loaded.errors[0]
    assert error.line == 16
    assert "--cluster-cidr" in error.message and "'10.0.0.256' is not an IP address" in error.message
    assert not loaded.fragments


def test_three_sources_disagreeing_on_the_pod_range_is_one_conflict_with_every_origin(read: Reader) -> None:
    loaded = read(
        kubeadm__yaml="""
            apiVersion: kubeadm.k8s.io/v1beta4
            kind: ClusterConfiguration
            networking:
              podSubnet: 172.16.0.0/24
            """,
        kcm__yaml=KCM,
        proxy__yaml="""
            apiVersion: kubeproxy.config.k8s.io/v1alpha1
            kind: KubeProxyConfiguration
            clusterCIDR: 10.42.0.0/16
            """,
    )
    cluster = cluster_of(loaded)
    conflict = next(c for c in cluster.conflicts if c.setting == "pod_cidrs (IPv4)")
    assert [v.value for v in conflict.values] == ["172.16.0.0/24", "10.244.0.0/16", "10.42.0.0/16"]
    assert [(v.origin.file or "").rsplit("/", 1)[-1] + f":{v.origin.line}" for v in conflict.values] == [
        "kubeadm.yaml:4", "kcm.yaml:16", "proxy.yaml:3"]
    # the first input given wins; the others are kept as the conflict
    assert cluster.pod_cidrs[0].text == "172.16.0.0/24"


def test_kubeadm_extra_arg_against_pod_subnet_in_one_file_is_a_conflict(read: Reader) -> None:
    cluster = cluster_of(read(kubeadm__yaml="""
        apiVersion: kubeadm.k8s.io/v1beta3
        kind: ClusterConfiguration
        networking:
          podSubnet: 10.244.0.0/16
        controllerManager:
          extraArgs:
            cluster-cidr: 10.32.0.0/12
            allocate-node-cidrs: "false"
        """))
    assert [c.setting for c in cluster.conflicts] == ["pod_cidrs (IPv4)"]
    # an explicit allocate-node-cidrs extra argument replaces what podSubnet implies
    assert cluster.allocate_node_cidrs is not None and cluster.allocate_node_cidrs.value is False
