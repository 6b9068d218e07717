"""Calico IPPools, the tigera-operator Installation and the calico-node DaemonSet env."""

from __future__ import annotations

from source_helpers import Reader, cluster_of, kinds, only_cni

DAEMONSET = """
kind: DaemonSet
apiVersion: apps/v1
metadata:
  name: calico-node
  namespace: kube-system
spec:
  template:
    spec:
      containers:
        - name: calico-node
          image: quay.io/calico/node:v3.28.0
          env:
            - name: CALICO_NETWORKING_BACKEND
              valueFrom:
                configMapKeyRef:
                  name: calico-config
                  key: calico_backend
            - name: CALICO_IPV4POOL_IPIP
              value: "CrossSubnet"
            - name: CALICO_IPV4POOL_VXLAN
              value: "Never"
            # The default IPv4 pool to create on startup if none exists.
            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16"
            - name: FELIX_IPV6SUPPORT
              value: "false"
"""


def test_ippool_v3_with_defaults(read: Reader) -> None:
    loaded = read(pool__yaml="""
        apiVersion: projectcalico.org/v3
        kind: IPPool
        metadata:
          name: default-ipv4-ippool
        spec:
          cidr: 10.244.0.0/16
          natOutgoing: true
        """)
    cni = only_cni(loaded)
    assert kinds(loaded) == {"pool.yaml": "calico-ippool"}
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.244.0.0/16", 6)]
    assert cni.block_v4 is not None and cni.block_v4.value == 26
    assert cni.block_v4.origin.default == "Calico IPPool blockSize"
    assert cni.routing is not None and cni.routing.value == "none" and cni.routing.origin.default


def test_crd_ippools_in_a_list_dual_stack_and_disabled(read: Reader) -> None:
    cluster = cluster_of(read(pools__yaml="""
        apiVersion: v1
        kind: List
        items:
        - apiVersion: crd.projectcalico.org/v1
          kind: IPPool
          metadata: {name: v4}
          spec: {cidr: 10.244.0.0/16, blockSize: 24, ipipMode: Always, vxlanMode: Never}
        - apiVersion: crd.projectcalico.org/v1
          kind: IPPool
          metadata: {name: v6}
          spec: {cidr: "fd00:10:244::/48", vxlanMode: CrossSubnet}
        - apiVersion: crd.projectcalico.org/v1
          kind: IPPool
          metadata: {name: old}
          spec: {cidr: 192.168.0.0/16, disabled: true}
        """))
    assert [(c.name, [p.text for p in c.pools]) for c in cluster.cnis] == [
        ("calico", ["10.244.0.0/16"]), ("calico", ["fd00:10:244::/48"])]
    v4, v6 = cluster.cnis
    assert v4.block_v4 is not None and v4.block_v4.value == 24 and v4.routing is not None
    assert v4.routing.value == "ipip"
    assert v6.block_v6 is not None and v6.block_v6.value == 122 and v6.routing is not None
    assert v6.routing.value == "vxlan-crosssubnet"


def test_block_size_out_of_range_is_an_error(read: Reader) -> None:
    loaded = read(pool__yaml="apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: {name: p}\n"
                             "spec:\n  cidr: 10.244.0.0/16\n  blockSize: 16\n", errors_ok=True)
    assert [(e.line, e.message) for e in loaded.errors] == [
        (6, "spec.blockSize: expected a block size from 20 to 32 for IPv4, got 16")]


def test_installation_pools(read: Reader) -> None:
    cni = only_cni(read(install__yaml="""
        apiVersion: operator.tigera.io/v1
        kind: Installation
        metadata:
          name: default
        spec:
          cni:
            type: Calico
            ipam:
              type: HostLocal
          calicoNetwork:
            ipPools:
            - cidr: 10.244.0.0/16
              encapsulation: IPIPCrossSubnet
            - cidr: fd00:10:244::/48
              blockSize: 120
        """))
    assert [c.text for c in cni.pools] == ["10.244.0.0/16", "fd00:10:244::/48"]
    assert cni.block_v4 is not None and cni.block_v4.value == 26 and cni.block_v4.origin.default
    assert cni.block_v6 is not None and (cni.block_v6.value, cni.block_v6.origin.line) == (120, 15)
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("ipip-crosssubnet", 13)
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "host-local"  # the plugin HostLocal runs


def test_calico_node_env_commented_out_means_the_default_pool(read: Reader) -> None:
    cni = only_cni(read(calico__yaml=DAEMONSET))
    assert [c.text for c in cni.pools] == ["192.168.0.0/16"]
    origin = cni.pools[0].origin
    assert origin.line == 23  # the commented-out `# - name: CALICO_IPV4POOL_CIDR`
    assert origin.default is not None and "commented out" in origin.default
    assert cni.block_v4 is not None and cni.block_v4.value == 26
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("ipip-crosssubnet", 19)


def test_calico_node_env_set(read: Reader) -> None:
    text = DAEMONSET.replace("""            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16\"""", """            - name: CALICO_IPV4POOL_CIDR
              value: "10.244.0.0/16"
            - name: CALICO_IPV4POOL_BLOCK_SIZE
              value: "24\"""")
    cni = only_cni(read(calico__yaml=text))
    assert [(c.text, c.origin.line, c.origin.default) for c in cni.pools] == [("10.244.0.0/16", 24, None)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (24, 26)


def test_ipv6_range_in_calico_ipv4_pool_env_is_an_error(read: Reader) -> None:
    text = DAEMONSET.replace("""            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16\"""", """            - name: CALICO_IPV4POOL_CIDR
              value: "fd00:10:244::/48\"""")
    loaded = read(calico__yaml=text, errors_ok=True)
    assert len(loaded.errors) == 1
    assert loaded.errors[0].line == 24
    assert "expected an IPv4 CIDR" in loaded.errors[0].message and "CALICO_IPV4POOL_CIDR" in loaded.errors[0].message


def test_default_pool_follows_the_kubeadm_pod_subnet_when_one_is_given(read: Reader) -> None:
    # calico-node takes podSubnet from the kubeadm-config ConfigMap when CALICO_IPV4POOL_CIDR is unset
    loaded = read(calico__yaml=DAEMONSET, kubeadm__yaml="""
        apiVersion: kubeadm.k8s.io/v1beta4
        kind: ClusterConfiguration
        networking:
          podSubnet: 10.244.0.0/16
        """)
    (cni,) = cluster_of(loaded).cnis
    assert [c.text for c in cni.pools] == ["10.244.0.0/16"]
    origin = cni.pools[0].origin
    assert (origin.file or "").endswith("kubeadm.yaml") and origin.line == 4
    assert origin.default == "calico takes the pod range when its own pool is unset"
    assert not cni.pools_follow_pod_range


def test_an_explicit_pool_does_not_follow_the_pod_subnet(read: Reader) -> None:
    text = DAEMONSET.replace("""            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16\"""", """            - name: CALICO_IPV4POOL_CIDR
              value: "10.96.0.0/16\"""")
    loaded = read(calico__yaml=text, kubeadm__yaml="apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                                   "networking:\n  podSubnet: 10.244.0.0/16\n")
    (cni,) = cluster_of(loaded).cnis
    assert [c.text for c in cni.pools] == ["10.96.0.0/16"]


def test_encapsulation_env_is_read_as_calico_node_reads_it(read: Reader) -> None:
    unset = DAEMONSET.replace('value: "CrossSubnet"', 'value: ""').replace('value: "Never"', 'value: "off"')
    cni = only_cni(read(calico__yaml=unset))
    assert cni.routing is not None and cni.routing.value == "none"
    vxlan = DAEMONSET.replace('value: "CrossSubnet"', 'value: "never"').replace('value: "Never"', 'value: "Always"')
    cni = only_cni(read(calico__yaml=vxlan))
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("vxlan", 21)
    loaded = read(calico__yaml=DAEMONSET.replace('value: "CrossSubnet"', 'value: "sometimes"'), errors_ok=True)
    assert [(e.line, e.message.split(": ", 1)[1]) for e in loaded.errors] == [
        (19, "expected Always, CrossSubnet or Never for CALICO_IPV4POOL_IPIP, got 'sometimes'")]


CALICO_CONFIG = """
kind: ConfigMap
apiVersion: v1
metadata:
  name: calico-config
  namespace: kube-system
data:
  calico_backend: "bird"
  cni_network_config: |-
    {
      "name": "k8s-pod-network",
      "cniVersion": "0.3.1",
      "plugins": [
        {
          "type": "calico",
          "mtu": __CNI_MTU__,
          "ipam": {
              "type": "host-local",
              "subnet": "usePodCidr"
          }
        }
      ]
    }
"""


def test_calico_config_ipam_plugin_is_folded_into_the_daemonset(read: Reader) -> None:
    loaded = read(calico__yaml=CALICO_CONFIG + "---\n" + DAEMONSET.lstrip("\n"))
    assert kinds(loaded) == {"calico.yaml": "calico-configmap, calico-node-daemonset"}
    (cni,) = cluster_of(loaded).cnis
    assert cni.ipam_mode is not None and (cni.ipam_mode.value, cni.ipam_mode.origin.line) == ("host-local", 17)
    assert [c.text for c in cni.pools] == ["192.168.0.0/16"]


def test_calico_config_alone_still_says_which_ipam_runs(read: Reader) -> None:
    cni = only_cni(read(cm__yaml=CALICO_CONFIG))
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "host-local" and cni.pools == ()
