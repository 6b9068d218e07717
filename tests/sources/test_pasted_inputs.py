"""What people paste, read with its file:line and a note saying what was assumed: Helm --set strings,
umbrella chart values, Flannel's subnet.env, kubectl describe node text, Node fragments, objects without
apiVersion and elided YAML. The samples are the real ones of the corpus in tests/data/real."""

from __future__ import annotations

from pathlib import Path

import pytest
from source_helpers import Reader, cluster_of, only_cni

from netblame.api.check import check
from netblame.errors import InputError
from netblame.sources import builtin_sources, load_paths
from netblame.sources.helm import helm_commands

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def load(*names: str) -> object:
    loaded = load_paths([str(REAL / n) for n in names], builtin_sources())
    assert not loaded.errors, [str(e) for e in loaded.errors]
    return loaded


def notes_of(loaded: object) -> str:
    return " ".join(i.note for i in loaded.inputs)  # type: ignore[attr-defined]


def test_helm_set_on_one_line_with_host_bits_and_mask() -> None:
    loaded = load("cilium-13766-mask-equals-pool/install.txt")
    cni = only_cni(loaded)  # type: ignore[arg-type]
    assert [(c.text, c.origin.line) for c in cni.pools] == [("172.20.0.0/12", 1)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.default) == (12, None)
    assert "taken from the --set arguments" in notes_of(loaded)


def test_helm_set_across_continuation_lines_keeps_chart_defaults() -> None:
    cni = only_cni(load("evalai-5163-cilium-script/install_dependencies.sh"))  # type: ignore[arg-type]
    assert cni.ipam_mode is not None and (cni.ipam_mode.value, cni.ipam_mode.origin.line) == ("cluster-pool", 1)
    (pool,) = cni.pools
    assert pool.text == "10.0.0.0/8" and pool.origin.default is not None and "Cilium Helm chart" in pool.origin.default


def test_helm_set_list_index_and_braces() -> None:
    (indexed,) = helm_commands((REAL / "cilium-33861-helm-set-index/install.sh").read_text(), "install.sh")
    assert indexed.chart == "cilium"
    assert indexed.values["ipam"]["operator"]["clusterPoolIPv4PodCIDRList"] == ["192.168.0.0/16"]
    (braced,) = helm_commands("helm upgrade cilium cilium/cilium \\\n  --set 'ipam.operator.clusterPoolIPv4PodCIDR"
                              "List={10.1.0.0/16,10.2.0.0/16}',ipam.mode=cluster-pool\n", "x.sh")
    assert braced.values["ipam"]["operator"]["clusterPoolIPv4PodCIDRList"] == ["10.1.0.0/16", "10.2.0.0/16"]
    assert braced.values["ipam"]["mode"] == "cluster-pool"


def test_helm_set_of_another_chart_is_not_read() -> None:
    assert helm_commands("helm install ingress ingress-nginx/ingress-nginx --set controller.replicaCount=2\n",
                         "x.sh") == []


def test_helm_set_that_is_not_a_pair_is_one_error() -> None:
    with pytest.raises(InputError, match=r"--set otherConfigs\.\.\.: expected name=value"):
        helm_commands((REAL / "cilium-cli-2171-install-set/commands.txt").read_text(), "commands.txt")


def test_flannel_chart_set_gives_the_pool() -> None:
    cni = only_cni(load("flannel-2232-helm-set-podcidr/install.sh"))  # type: ignore[arg-type]
    assert cni.name == "flannel" and [(c.text, c.origin.line) for c in cni.pools] == [("10.244.0.0/16", 6)]
    assert cni.routing is not None and cni.routing.value == "vxlan" and cni.routing.origin.default


def test_umbrella_chart_values_under_cilium_key() -> None:
    loaded = load("ujstor-umbrella-cilium-values/values.yaml")
    cni = only_cni(loaded)  # type: ignore[arg-type]
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.250.0.0/16", 10)]
    assert "read from the `cilium:` block of an umbrella chart" in notes_of(loaded)


def test_umbrella_chart_values_under_flannel_key(read: Reader) -> None:
    loaded = read(values__yaml="""
        flannel:
          podCidr: "10.42.0.0/16"
          flannel:
            backend: host-gw
        """)
    cni = only_cni(loaded)
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.42.0.0/16", 2)]
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("host-gw", 4)


def test_subnet_env() -> None:
    loaded = load("code-life-8-handwritten-subnet-env/subnet.env")
    cni = only_cni(loaded)  # type: ignore[arg-type]
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.244.0.0/16", 1)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (24, 2)
    assert cni.mtu is not None and (cni.mtu.value, cni.mtu.origin.line) == (1450, 3)


def test_subnet_env_with_a_bad_lease_is_one_error(read: Reader) -> None:
    loaded = read(errors_ok=True, subnet__env="FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=ten/24\n")
    (error,) = loaded.errors
    assert error.line == 2 and "FLANNEL_SUBNET: expected this node's lease" in error.message


def test_describe_nodes_grep_podcidr() -> None:
    loaded = load("k8s-45001-describe-nodes-podcidr/describe.txt")
    nodes = cluster_of(loaded).nodes  # type: ignore[arg-type]
    assert [(n.name, [c.text for c in n.pod_cidrs]) for n in nodes] == [
        (f"node at line {i}", [cidr]) for i, cidr in enumerate(
            ["172.12.1.0/24", "172.12.6.0/24", "172.12.0.0/24", "172.12.4.0/24", "172.12.5.0/24", "172.12.3.0/24"],
            start=1)]
    assert "named by the line it starts on" in notes_of(loaded)


def test_describe_node_addresses_block() -> None:
    (node,) = cluster_of(load("k8s-54467-describe-node-addresses/describe.txt")).nodes  # type: ignore[arg-type]
    assert node.name == "infra03-lab"
    assert [(str(a.value), a.origin.line) for a in node.addresses] == [("172.31.134.91", 2), ("172.31.134.91", 3)]


def test_whole_describe_node(read: Reader) -> None:
    loaded = read(describe__txt="""
        Name:               pi-1
        Roles:              control-plane
        Labels:             kubernetes.io/arch=arm64
        Addresses:
          InternalIP:  192.168.1.11
          Hostname:    pi-1
        PodCIDR:                      10.244.0.0/24
        PodCIDRs:                     10.244.0.0/24,fd00:10:244::/64
        Events:                       <none>


        Name:               pi-2
        Roles:              <none>
        Addresses:
          InternalIP:  192.168.1.12
        PodCIDR:                      <none>
        """)
    nodes = cluster_of(loaded).nodes
    assert [(n.name, [c.text for c in n.pod_cidrs], [str(a.value) for a in n.addresses]) for n in nodes] == [
        ("pi-1", ["10.244.0.0/24", "fd00:10:244::/64"], ["192.168.1.11"]), ("pi-2", [], ["192.168.1.12"])]
    assert nodes[0].pod_cidrs[1].origin.line == 8


def test_node_spec_alone_and_status_alone(read: Reader) -> None:
    loaded = read(spec__yaml="podCIDR: 10.244.2.0/24\npodCIDRs:\n- 10.244.2.0/24\n",
                  status__yaml="addresses:\n- address: 192.168.1.20\n  type: InternalIP\n- address: pi-2\n"
                               "  type: Hostname\nnodeInfo:\n  kubeletVersion: v1.30.0\n")
    nodes = {n.name: n for n in cluster_of(loaded).nodes}
    assert [c.text for c in nodes["node of spec.yaml"].pod_cidrs] == ["10.244.2.0/24"]
    assert [str(a.value) for a in nodes["pi-2"].addresses] == ["192.168.1.20"]
    notes = notes_of(loaded)
    assert "a Node's .spec alone" in notes and "a Node's .status alone" in notes


def test_objects_without_api_version_and_elisions_are_noted(read: Reader) -> None:
    loaded = read(pool__yaml="kind: IPPool\nmetadata:\n  name: default-ipv4-ippool\n  ...\nspec:\n"
                             "  cidr: 192.168.0.0/16\n  # ...\n",
                  kubeadm__yaml="kind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.0/16\n")
    cluster = cluster_of(loaded)
    assert [c.text for c in cluster.pod_cidrs] == ["10.244.0.0/16"]
    (cni,) = cluster.cnis
    assert [(c.text, c.origin.line) for c in cni.pools] == [("192.168.0.0/16", 6)]
    notes = {i.path.rsplit("/", 1)[-1]: i.note for i in loaded.inputs}
    assert "line 4: `...` taken as an elision" in notes["pool.yaml"]
    assert "line 7: `# ...` taken as an elision" in notes["pool.yaml"]
    assert "IPPool without apiVersion, taken as projectcalico.org/v3" in notes["pool.yaml"]
    assert "ClusterConfiguration without apiVersion" in notes["kubeadm.yaml"]


def test_notes_reach_the_json_report() -> None:
    report = check([str(REAL / "ujstor-umbrella-cilium-values/values.yaml")])
    (record,) = report.to_json()["inputs"]  # type: ignore[misc]
    assert record["kind"] == "cilium-helm-values" and "umbrella chart" in record["note"]


KUSTOMIZATION = """
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    resources:
    - https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml
    patches:
    - target:
        kind: ConfigMap
        name: kube-flannel-cfg
      patch: |-
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: kube-flannel-cfg
        data:
          net-conf.json: |
            {
              "Network": "10.42.0.0/16",
              "Backend": {
                "Type": "host-gw"
              }
            }
    helmCharts:
    - name: cilium
      repo: https://helm.cilium.io/
      releaseName: cilium
      valuesInline:
        ipam:
          operator:
            clusterPoolIPv4PodCIDRList: ["10.50.0.0/16"]
    """


def test_kustomization_inline_patch_and_helm_chart_values(read: Reader) -> None:
    loaded = read(kustomization__yaml=KUSTOMIZATION)
    cnis = {c.name: c for c in cluster_of(loaded).cnis}
    assert [(c.text, c.origin.line) for c in cnis["flannel"].pools] == [("10.42.0.0/16", 17)]
    assert cnis["flannel"].routing is not None and cnis["flannel"].routing.value == "host-gw"
    assert [(c.text, c.origin.line) for c in cnis["cilium"].pools] == [("10.50.0.0/16", 29)]
    (record,) = loaded.inputs
    assert record.kind == "kustomization"
    assert "inline patch read from `patches[0].patch`" in record.note
    assert "Cilium Helm values read from `helmCharts[0].valuesInline`" in record.note


def test_calico_operator_values_nested_and_set(read: Reader) -> None:
    loaded = read(values__yaml="""
        tigera-operator:
          installation:
            calicoNetwork:
              ipPools:
              - cidr: 10.10.0.0/16
                blockSize: 24
                encapsulation: VXLANCrossSubnet
        """, install__sh="helm install calico projectcalico/tigera-operator --namespace tigera-operator\n")
    by_file = {i.path.rsplit("/", 1)[-1]: i for i in loaded.inputs}
    assert by_file["values.yaml"].kind == "calico-helm-values"
    assert "`tigera-operator:` block" in by_file["values.yaml"].note
    pools = sorted((c.text, c.origin.line, c.origin.default is not None) for cni in cluster_of(loaded).cnis
                   for c in cni.pools)
    assert pools[0] == ("10.10.0.0/16", 5, False)
    # the bare install takes the operator's default pool, marked as a default that follows kubeadm's podSubnet
    assert pools[1][0] == "192.168.0.0/16" and pools[1][2]


def test_helm_command_with_a_values_file_is_noted_not_read(read: Reader) -> None:
    loaded = read(install__sh="helm upgrade --install cilium cilium/cilium -f cilium-values.yaml "
                              "--set ipam.mode=kubernetes\n")
    assert cluster_of(loaded).cnis == ()
    (record,) = loaded.inputs
    assert record.kind == "helm-set-values" and "come from cilium-values.yaml (-f)" in record.note


def test_dots_between_pasted_objects_separate_documents(read: Reader) -> None:
    loaded = read(pools__yaml="kind: IPPool\nspec:\n  cidr: 10.1.0.0/16\n...\nkind: IPPool\nspec:\n"
                              "  cidr: 10.2.0.0/16\n...\n")
    pools = [(c.text, c.origin.line) for cni in cluster_of(loaded).cnis for c in cni.pools]
    assert pools == [("10.1.0.0/16", 3), ("10.2.0.0/16", 7)]
    (record,) = loaded.inputs
    assert "line 4: `...` taken as the separator of two pasted documents" in record.note
    assert "line 8" not in record.note  # a final `...` is YAML's own document end


def test_helm_controller_chart_values_and_set(read: Reader) -> None:
    loaded = read(chart__yaml="""
        apiVersion: helm.cattle.io/v1
        kind: HelmChart
        metadata:
          name: cilium
          namespace: kube-system
        spec:
          chart: cilium
          repo: https://helm.cilium.io/
          valuesContent: |-
            ipam:
              operator:
                clusterPoolIPv4PodCIDRList:
                  - 10.42.0.0/24
          set:
            ipam.operator.clusterPoolIPv4MaskSize: "26"
        """)
    cni = only_cni(loaded)
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.42.0.0/24", 13)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (26, 15)
    (record,) = loaded.inputs
    assert record.kind == "helm-controller-chart" and "spec.valuesContent and spec.set" in record.note
