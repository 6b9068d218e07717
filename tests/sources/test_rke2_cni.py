"""RKE2's ``cni`` key (rancher/rke2-docs docs/networking/basic_network_options.md): canal by default, calico,
cilium, flannel, none, or a list with multus; the chosen CNI brings the defaults of RKE2's own chart (rke2-cilium
runs ``ipam.mode: kubernetes``: rancher/rke2-charts packages/rke2-cilium/generated-changes/patch/values.yaml.patch),
and a HelmChartConfig's values apply over that chart, not over upstream's."""

from __future__ import annotations

from pathlib import Path

import pytest
from source_helpers import Reader
from test_distro_sources import cluster as cluster_of

from netblame.api.check import ClusterFlags, check
from netblame.sources import builtin_sources, load_paths

DATA = Path(__file__).resolve().parent.parent / "data" / "distros"


@pytest.mark.parametrize(("written", "cni", "mode"), [
    ("", "flannel", "kube-subnet-mgr"),  # canal: Flannel carries the traffic on node podCIDRs
    ("cni: canal\n", "flannel", "kube-subnet-mgr"),
    ("cni: flannel\n", "flannel", "kube-subnet-mgr"),
    ("cni: calico\n", "calico", "calico-ipam"),
    ("cni: cilium\n", "cilium", "kubernetes"),
    ("cni: [multus, cilium]\n", "cilium", "kubernetes"),
    ("cni:\n  - multus\n  - calico\n", "calico", "calico-ipam"),
    ('cni: "multus,cilium"\n', "cilium", "kubernetes"),
])
def test_the_cni_key_picks_the_cni_and_its_ipam(read: Reader, written: str, cni: str, mode: str) -> None:
    [found] = cluster_of(read(config__yaml=f"{written}tls-san: [rke2.home.arpa]\ningress-controller: traefik\n")).cnis
    assert found.name == cni and found.ipam_mode is not None and found.ipam_mode.value == mode


@pytest.mark.parametrize("written", ["cni: none\n", "cni: [multus, none]\n"])
def test_no_bundled_cni_leaves_none(read: Reader, written: str) -> None:
    assert cluster_of(read(config__yaml=f"{written}ingress-controller: traefik\n")).cnis == ()


def test_rke2_cilium_defaults_are_named_as_the_charts() -> None:
    net = cluster_of(load_paths([str(DATA / "rke2-cilium" / "config.yaml")], builtin_sources()))
    [cilium] = net.cnis
    assert cilium.ipam_mode is not None and cilium.ipam_mode.origin.default == "rke2-cilium chart ipam.mode"
    assert cilium.routing is not None and cilium.routing.value == "vxlan" and cilium.pools == ()


def test_a_helmchartconfig_applies_over_the_rke2_chart_not_upstreams() -> None:
    loaded = load_paths([str(DATA / "rke2-cilium")], builtin_sources())
    assert not loaded.errors
    [cilium] = cluster_of(loaded).cnis  # the config's default entry gives way to the HelmChartConfig's
    assert cilium.ipam_mode is not None and cilium.ipam_mode.value == "kubernetes"
    assert cilium.ipam_mode.origin.default == "rke2-cilium chart ipam.mode"
    assert cilium.pools == ()  # not upstream's cluster-pool 10.0.0.0/8


def test_a_helmchartconfig_that_sets_the_mode_keeps_it(read: Reader) -> None:
    [cilium] = cluster_of(read(chart__yaml="""
        apiVersion: helm.cattle.io/v1
        kind: HelmChartConfig
        metadata:
          name: rke2-cilium
          namespace: kube-system
        spec:
          valuesContent: |-
            ipam:
              mode: cluster-pool
              operator:
                clusterPoolIPv4PodCIDRList: ["10.50.0.0/16"]
        """, config__yaml="cni: cilium\n")).cnis
    assert cilium.ipam_mode is not None and cilium.ipam_mode.value == "cluster-pool"
    assert [p.text for p in cilium.pools] == ["10.50.0.0/16"]


def test_a_small_cluster_cidr_leaves_cilium_nodes_without_a_podcidr(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("cni: cilium\ncluster-cidr: 10.42.0.0/23\n")
    [finding] = [f for f in check([str(tmp_path)], flags=ClusterFlags(nodes=4)).findings if f.rule == "NB101"]
    assert "Cilium" in finding.message and "cluster-cidr: 10.42.0.0/" in finding.fix
    assert not [f for f in check([str(tmp_path)], flags=ClusterFlags(nodes=2)).findings if f.rule == "NB101"]
