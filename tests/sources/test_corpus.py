"""Every file of the upstream corpus (shared/corpus/upstream, real files from upstream repositories)
is read without a crash, recognised as what it is, and gives the values it holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from source_helpers import CLUSTER_KINDS, cluster_of

from netblame.model.cluster import ClusterNetwork
from netblame.sources import Loaded, builtin_sources, load_paths


def load(corpus: Path, name: str) -> Loaded:
    return load_paths([str(corpus / name)], builtin_sources())


def recognised(loaded: Loaded) -> set[str]:
    """What the cluster sources recognised (other sources, such as node DNS, may read the files too)."""
    return {kind for i in loaded.inputs if i.kind for kind in i.kind.split(", ")} & CLUSTER_KINDS


def test_every_corpus_file_is_read_without_a_crash(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    assert len(files) >= 20
    for path in files:
        loaded = load_paths([str(path)], builtin_sources())
        # each file ends up either read, or with one clean error naming it
        assert loaded.inputs or loaded.errors, path
        for error in loaded.errors:
            assert error.file == str(path) or error.file is None


def test_whole_corpus_through_the_cli_never_tracebacks(corpus: Path) -> None:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-m", "netblame", "check", str(corpus), "-o", "json"],
                         capture_output=True, text=True, timeout=120, check=False, env=env)
    assert "Traceback" not in run.stderr
    assert '"schema": "netblame/report/v1"' in run.stdout
    report = json.loads(run.stdout)
    # a file that is not what it claims (the corpus keeps documentation examples with placeholders) is an
    # input problem: named, the rest still checked, and exit code 2
    assert run.returncode in ({2} if report["errors"] else {0, 1}), run.stderr
    assert report["inputs"] and all(e.get("file") for e in report["errors"])


def test_cilium_values_main(corpus: Path) -> None:
    loaded = load(corpus, "cilium/values-main-2025-12.yaml")
    assert recognised(loaded) == {"cilium-helm-values"}
    (cni,) = cluster_of(loaded).cnis
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "cluster-pool"
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.0.0.0/8", 2065)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (24, 2067)
    assert cni.block_v6 is None  # ipv6.enabled: false
    # routingMode "" and tunnelProtocol "" mean tunnel over VXLAN
    assert cni.routing is not None and cni.routing.value == "vxlan" and cni.routing.origin.default
    assert cni.mtu is None  # MTU: 0 means auto-detect


def test_cilium_values_v1_12_tunnel_layout(corpus: Path) -> None:
    loaded = load(corpus, "cilium/values-v1.12-dev-2022-11.yaml")
    assert recognised(loaded) == {"cilium-helm-values"}
    (cni,) = cluster_of(loaded).cnis
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("vxlan", 1592)
    # the list is empty, so the deprecated single key applies
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.0.0.0/8", 1262)]
    assert cni.block_v4 is not None and cni.block_v4.value == 24


def test_calico_custom_resources(corpus: Path) -> None:
    loaded = load(corpus, "calico/custom-resources.yaml")
    assert recognised(loaded) == {"calico-installation"}
    (cni,) = cluster_of(loaded).cnis
    assert [(c.text, c.origin.line) for c in cni.pools] == [("192.168.0.0/16", 13)]
    assert cni.block_v4 is not None and (cni.block_v4.value, cni.block_v4.origin.line) == (26, 12)
    assert cni.routing is not None and cni.routing.value == "vxlan-crosssubnet"


def test_calico_manifest_excerpt_default_pool(corpus: Path) -> None:
    loaded = load(corpus, "calico/calico-yaml-excerpt.yaml")
    assert recognised(loaded) == {"calico-configmap", "calico-node-daemonset"}
    (cni,) = cluster_of(loaded).cnis  # the ConfigMap's IPAM plugin is folded into the DaemonSet's pool
    assert cni.ipam_mode is not None and (cni.ipam_mode.value, cni.ipam_mode.origin.line) == ("calico-ipam", 34)
    # CALICO_IPV4POOL_CIDR is commented out at line 259: calico-node's default pool applies
    assert [(c.text, c.origin.line) for c in cni.pools] == [("192.168.0.0/16", 259)]
    assert cni.pools[0].origin.default is not None
    assert cni.block_v4 is not None and cni.block_v4.value == 26
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("ipip", 231)


def test_flannel_manifest(corpus: Path) -> None:
    loaded = load(corpus, "flannel/kube-flannel.yml")
    assert recognised(loaded) == {"flannel-configmap"}
    (cni,) = cluster_of(loaded).cnis
    assert [(c.text, c.origin.line) for c in cni.pools] == [("10.244.0.0/16", 93)]
    assert cni.routing is not None and (cni.routing.value, cni.routing.origin.line) == ("vxlan", 96)
    assert cni.ipam_mode is not None and cni.ipam_mode.value == "kube-subnet-mgr"


def test_kubeadm_incomplete_service_subnet_with_host_bits(corpus: Path) -> None:
    loaded = load(corpus, "kubeadm/k8s-testdata-controlplane-incomplete.yaml")
    assert recognised(loaded) == {"kubeadm-node-configuration", "kubeadm-cluster-configuration"}
    cluster = cluster_of(loaded)
    (service,) = cluster.service_cidrs
    assert (service.text, service.origin.line, str(service.network)) == ("10.196.0.0/12", 19, "10.192.0.0/12")
    assert service.host_bits_set
    assert [c.text for c in cluster.pod_cidrs] == ["10.148.0.0/16"]
    assert cluster.dns_domain is not None and cluster.dns_domain.value == "cluster.global"


def test_kubeadm_defaulted_four_documents_agree(corpus: Path) -> None:
    loaded = load(corpus, "kubeadm/k8s-testdata-controlplane-defaulted.yaml")
    assert recognised(loaded) == {"kubeadm-node-configuration", "kubeadm-cluster-configuration",
                                  "kube-proxy-configuration", "kubelet-configuration"}
    cluster = cluster_of(loaded)
    assert not cluster.conflicts  # kube-proxy clusterCIDR mirrors podSubnet; kubelet domain = dnsDomain
    assert [c.text for c in cluster.pod_cidrs] == ["10.148.0.0/16"]
    assert [str(a.value) for a in cluster.cluster_dns] == ["10.192.0.10"]
    assert cluster.max_pods is not None and cluster.max_pods.value == 110


def test_kubeadm_v1beta4_cluster_configuration(corpus: Path) -> None:
    loaded = load(corpus, "kubeadm/v1beta4-docs-clusterconfiguration.yaml")
    cluster = cluster_of(loaded)
    assert [c.text for c in cluster.pod_cidrs] == ["10.244.0.0/24"]
    assert [c.text for c in cluster.service_cidrs] == ["10.96.0.0/16"]
    assert cluster.node_mask_v4 is not None and cluster.node_mask_v4.value == 20  # v1beta4 name/value extraArgs


def test_kubeadm_v1beta4_full_example_reads_its_good_documents_and_names_the_broken_one(corpus: Path) -> None:
    loaded = load(corpus, "kubeadm/v1beta4-docs-full-example.yaml")
    (error,) = loaded.errors
    assert error.file is not None and error.file.endswith("v1beta4-docs-full-example.yaml")
    assert error.line == 12  # the mis-indented `groups:` of the second bootstrap token
    assert error.message.startswith("not valid YAML") and "other documents were read" in error.message
    (record,) = loaded.inputs
    assert record.kind is not None and "kubeadm-cluster-configuration" in record.kind
    assert loaded.fragments


@pytest.mark.parametrize("folder", ["netplan", "systemd-networkd", "coredns"])
def test_dns_and_host_network_files_are_not_taken_for_cluster_inputs(corpus: Path, folder: str) -> None:
    for path in sorted((corpus / folder).iterdir()):
        loaded = load_paths([str(path)], builtin_sources())
        assert not recognised(loaded), path
        assert not [f for f in loaded.fragments if isinstance(f, ClusterNetwork)], path
