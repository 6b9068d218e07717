"""k3s/RKE2 config files (and drop-ins, and flags beside them), k0s, Talos, kind, minikube and k8s-snap:
recognised by content, and every unset range taken from the distribution's own default, marked as one."""

from __future__ import annotations

from pathlib import Path

import pytest
from source_helpers import Reader, kinds

from netblame.api.check import assemble
from netblame.model.cluster import ClusterNetwork
from netblame.model.flags import FlagNote
from netblame.sources import Loaded, builtin_sources, load_paths
from netblame.sources.k3s import DistroInput, _combine

DATA = Path(__file__).resolve().parent.parent / "data" / "distros"


def cluster(loaded: Loaded) -> ClusterNetwork:
    subjects = [s for s in assemble(loaded.fragments) if isinstance(s, ClusterNetwork)]
    assert len(subjects) == 1, subjects
    return subjects[0]


def real(*parts: str) -> Loaded:
    loaded = load_paths([str(DATA.joinpath(*parts))], builtin_sources())
    assert not loaded.errors, [str(e) for e in loaded.errors]
    return loaded


def ranges(net: ClusterNetwork) -> tuple[list[str], list[str]]:
    return [c.text for c in net.pod_cidrs], [c.text for c in net.service_cidrs]


def test_k3s_config_without_ranges_takes_k3s_defaults(read: Reader) -> None:
    loaded = read(config__yaml='write-kubeconfig-mode: "0644"\ntls-san:\n  - pi.home.arpa\n')
    assert kinds(loaded) == {"config.yaml": "k3s-rke2-config"}
    net = cluster(loaded)
    assert ranges(net) == (["10.42.0.0/16"], ["10.43.0.0/16"])
    assert net.pod_cidrs[0].origin.default == "k3s --cluster-cidr"
    assert net.pod_cidrs[0].origin.file is not None and net.pod_cidrs[0].origin.file.endswith("config.yaml")
    assert [(str(a.value), a.origin.default) for a in net.cluster_dns] == [("10.43.0.10", "k3s --cluster-dns")]
    assert net.dns_domain is not None and net.dns_domain.value == "cluster.local"
    [flannel] = net.cnis
    assert flannel.name == "flannel" and [p.text for p in flannel.pools] == ["10.42.0.0/16"]


def test_k3s_flannel_backend_none_leaves_no_cni(read: Reader) -> None:
    net = cluster(read(config__yaml="cluster-cidr: 10.10.0.0/16\nflannel-backend: none\n"
                                    "disable-network-policy: true\n"))
    assert net.cnis == () and ranges(net)[0] == ["10.10.0.0/16"]


def test_k3s_kube_controller_manager_arg_sets_the_node_mask(read: Reader) -> None:
    net = cluster(read(config__yaml='cluster-cidr: 10.42.0.0/20\nkube-controller-manager-arg:\n'
                                    '  - "node-cidr-mask-size-ipv4=25"\nkubelet-arg:\n  - "max-pods=64"\n'))
    assert net.node_mask(4).value == 25 and net.node_mask(4).origin.line == 3
    assert net.pods_per_node().value == 64


def test_drop_in_replaces_and_the_command_line_wins(tmp_path: Path) -> None:
    base = tmp_path / "k3s"
    (base / "config.yaml.d").mkdir(parents=True)
    (base / "config.yaml").write_text("cluster-cidr: 10.42.0.0/16\nservice-cidr: 10.43.0.0/16\n")
    (base / "config.yaml.d" / "10-pods.yaml").write_text("cluster-cidr: 10.99.0.0/16\n")
    unit = "[Service]\nExecStart=/usr/local/bin/k3s server --service-cidr 10.98.0.0/16\n"
    (tmp_path / "unit.service").write_text(unit)
    loaded = load_paths([str(tmp_path)], builtin_sources())
    assert not loaded.errors
    net = cluster(loaded)
    assert ranges(net) == (["10.99.0.0/16"], ["10.98.0.0/16"])
    assert net.conflicts == ()  # k3s's own precedence, not a disagreement


def test_rke2_drop_ins_combine_as_the_rke2_docs_say() -> None:
    loaded = real("rke2", "multi")
    inputs = [f for f in loaded.fragments if isinstance(f, DistroInput)]
    assert {i.distro for i in inputs} == {"rke2"}
    combined = {k: [c.text() for c in v] for k, v in _combine(inputs).items()}
    # rancher/rke2-docs docs/install/configuration.md: "This results in a final configuration of: ..."
    assert combined == {"write-kubeconfig-mode": ["777"], "token": ["boop"], "node-label": ["other=what", "foo=three"],
                        "node-taint": ["alice=bob:NoExecute", "charlie=delta:NoSchedule"]}
    net = cluster(loaded)
    assert net.distribution is not None and net.distribution.value == "rke2"
    assert ranges(net) == (["10.42.0.0/16"], ["10.43.0.0/16"])
    assert net.pod_cidrs[0].origin.default == "rke2 --cluster-cidr"
    assert [c.name for c in net.cnis] == ["flannel"]  # Canal, RKE2's default CNI: Flannel carries the traffic


def test_rke2_cni_calico(read: Reader) -> None:
    net = cluster(read(config__yaml="cni: calico\ncluster-cidr: 10.70.0.0/16\n"))
    assert [(c.name, [p.text for p in c.pools]) for c in net.cnis] == [("calico", ["10.70.0.0/16"])]


def test_unknown_k3s_config_key_is_noted(read: Reader) -> None:
    loaded = read(config__yaml="cluster-cidr: 10.42.0.0/16\nflannel-backed: host-gw\n")
    [note] = [f for f in loaded.fragments if isinstance(f, FlagNote)]
    assert (note.flag, note.hint, note.origin.line) == ("flannel-backed", "flannel-backend", 2)


def test_bad_k3s_range_is_one_line_naming_file_and_line_and_the_rest_is_read(read: Reader) -> None:
    loaded = read(errors_ok=True, config__yaml="cluster-cidr: 10.42.0.0/33\nwrite-kubeconfig-mode: '0644'\n",
                  kubeadm__yaml="apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n")
    [error] = [str(e) for e in loaded.errors]
    assert "config.yaml:1" in error and "cluster-cidr" in error and "\n" not in error
    assert kinds(loaded)["kubeadm.yaml"] == "kubeadm-cluster-configuration"


def test_real_k8s_snap_bootstrap_config() -> None:
    loaded = real("k8s-snap")
    net = cluster(loaded)
    assert ranges(net) == (["10.100.0.0/16"], ["10.200.0.0/16"])
    assert net.pod_cidrs[0].origin.line == 26 and net.pod_cidrs[0].origin.default is None
    assert net.dns_domain is not None and net.dns_domain.value == "cluster.local"


def test_k8s_snap_defaults(read: Reader) -> None:
    net = cluster(read(bootstrap__yaml="cluster-config:\n  network:\n    enabled: true\n"))
    assert ranges(net) == (["10.1.0.0/16"], ["10.152.183.0/24"])
    assert net.service_cidrs[0].origin.default == "Canonical Kubernetes service-cidr"


def test_real_kind_config_without_networking_takes_kinds_defaults() -> None:
    net = cluster(real("kind"))
    assert ranges(net) == (["10.244.0.0/16"], ["10.96.0.0/16"])
    assert net.service_cidrs[0].origin.default == "kind networking.serviceSubnet"


def test_kind_dual_stack(read: Reader) -> None:
    net = cluster(read(kind__yaml="kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\n"))
    assert ranges(net) == (["10.244.0.0/16", "fd00:10:244::/56"], ["10.96.0.0/16", "fd00:10:96::/112"])


def test_real_k0s_config() -> None:
    net = cluster(real("k0s"))
    assert ranges(net) == (["10.244.0.0/16"], ["10.96.0.0/12"])
    assert net.pod_cidrs[0].origin.default is None and net.pod_cidrs[0].origin.line == 52
    assert net.distribution is not None and net.distribution.value == "k0s"


def test_real_talos_controlplane_config() -> None:
    net = cluster(real("talos"))
    assert ranges(net) == (["10.244.0.0/16"], ["10.96.0.0/12"])
    [flannel] = net.cnis  # cni unset: Talos deploys Flannel
    assert flannel.routing is not None and flannel.origin.default == "Talos cluster.network.cni.name"


def test_minikube_profile(read: Reader) -> None:
    net = cluster(read(config__json='{"Name": "minikube", "KubernetesConfig": {"ServiceCIDR": "10.96.0.0/12", '
                                    '"ExtraOptions": [{"Component": "kubeadm", "Key": "pod-network-cidr", '
                                    '"Value": "10.88.0.0/16"}]}}'))
    assert ranges(net) == (["10.88.0.0/16"], ["10.96.0.0/12"])


@pytest.mark.parametrize("part", ["k3s", "rke2", "microk8s", "k8s-snap", "kind", "k0s", "talos"])
def test_every_real_sample_is_read_without_a_finding_relying_on_an_unnamed_default(part: str) -> None:
    from netblame.api.check import check
    report = check([str(DATA / part)])
    assert not report.errors and report.checked_anything
    for finding in report.findings:
        assert "None" not in finding.message and "[]" not in finding.message
