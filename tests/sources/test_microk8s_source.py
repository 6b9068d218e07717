"""MicroK8s: its args files and its Calico and Cilium manifests are recognised as MicroK8s's by content, what they
leave unset takes MicroK8s's defaults (canonical.com/microk8s/docs/change-cidr), fixes name MicroK8s's files, and the
Cilium add-on's cilium-config (no ``ipam``, a Cilium 1.6 agent) is read as the hostscope IPAM that agent runs."""

from __future__ import annotations

from pathlib import Path

from source_helpers import Reader, cluster_of, kinds

from netblame.api.check import ClusterFlags, check
from netblame.sources import builtin_sources, load_paths

DATA = Path(__file__).resolve().parent.parent / "data" / "distros"


def test_the_upstream_args_files_and_calico_manifest_are_microk8s_inputs() -> None:
    loaded = load_paths([str(DATA / "microk8s")], builtin_sources())
    assert not loaded.errors
    assert all("microk8s" in (kind or "") for kind in kinds(loaded).values()), kinds(loaded)
    net = cluster_of(loaded)
    assert net.distribution is not None and net.distribution.value == "microk8s"
    # read values win over MicroK8s's defaults, without a conflict
    assert [(c.text, c.origin.default) for c in net.pod_cidrs] == [("10.1.0.0/16", None)]
    assert [(c.text, c.origin.default) for c in net.service_cidrs] == [("10.152.183.0/24", None)]
    assert net.conflicts == ()
    assert net.allocate_node_cidrs is not None and net.allocate_node_cidrs.value is False
    [calico] = net.cnis
    assert [p.text for p in calico.pools] == ["10.1.0.0/16"] and calico.routing is not None
    assert calico.routing.value == "vxlan"


def test_a_controller_manager_args_file_alone_takes_the_microk8s_ranges_as_defaults() -> None:
    net = cluster_of(load_paths([str(DATA / "microk8s" / "args" / "kube-controller-manager")], builtin_sources()))
    assert [(c.text, c.origin.default) for c in net.pod_cidrs] == [
        ("10.1.0.0/16", "MicroK8s pod range (kube-proxy --cluster-cidr, cni.yaml CALICO_IPV4POOL_CIDR)")]
    assert net.service_cidrs[0].origin.default is not None


def test_a_changed_range_replaces_the_default_as_the_docs_change_it(read: Reader) -> None:
    # canonical.com/microk8s/docs/change-cidr: --cluster-cidr in args/kube-proxy, CALICO_IPV4POOL_CIDR in cni.yaml
    net = cluster_of(read(**{"kube-proxy": "--kubeconfig=${SNAP_DATA}/credentials/proxy.config\n"
                                           "--cluster-cidr=172.17.0.0/16\n"}))
    assert [c.text for c in net.pod_cidrs] == ["172.17.0.0/16"] and net.conflicts == ()


def test_the_fix_names_microk8s_files() -> None:
    report = check([str(DATA / "microk8s")], flags=ClusterFlags(lan=("10.1.5.0/24",)))
    [finding] = [f for f in report.findings if f.rule == "NB104"]
    assert "/var/snap/microk8s/current/args/kube-proxy" in finding.fix
    assert "/var/snap/microk8s/current/args/cni-network/cni.yaml" in finding.fix
    assert "kubeadm" not in finding.fix


def test_files_of_other_distributions_are_not_microk8s(read: Reader) -> None:
    loaded = read(**{"kube-proxy": "--cluster-cidr=10.244.0.0/16\n--kubeconfig=/etc/kubernetes/proxy.conf\n"},
                  calico__yaml="kind: DaemonSet\napiVersion: apps/v1\nmetadata:\n  name: calico-node\nspec:\n"
                               "  template:\n    spec:\n      containers:\n      - name: calico-node\n        env:\n"
                               "        - name: CALICO_IPV4POOL_CIDR\n          value: 10.244.0.0/16\n")
    assert not any("microk8s" in (k or "") for k in kinds(loaded).values())
    assert cluster_of(loaded).distribution is None


def test_the_cilium_addon_runs_hostscope_not_cluster_pool() -> None:
    loaded = load_paths([str(DATA / "microk8s-cilium")], builtin_sources())
    net = cluster_of(loaded)
    [cilium] = net.cnis
    assert cilium.ipam_mode is not None and cilium.ipam_mode.value == "hostscope"
    assert cilium.ipam_mode.origin.default is not None and "Cilium 1.6" in cilium.ipam_mode.origin.default
    assert cilium.pools == () and cilium.block_v4 is not None and cilium.block_v4.value == 16
    [note] = [i.note for i in loaded.inputs if i.note]
    assert "10.X.0.0/16" in note and "spec.podCIDR" in note
    assert not check([str(DATA / "microk8s-cilium")]).findings


def test_a_newer_agent_without_ipam_is_not_taken_for_hostscope(read: Reader) -> None:
    text = (DATA / "microk8s-cilium" / "cni-network" / "cilium.yaml").read_text()
    for image in ("docker.io/cilium/cilium:v1.15.2", "quay.io/cilium/cilium:v1.9.0"):
        [cilium] = cluster_of(read(cilium__yaml=text.replace("docker.io/cilium/cilium:v1.6.6", image))).cnis
        assert cilium.ipam_mode is None


def test_prose_naming_the_cni_directory_is_not_a_microk8s_input(read: Reader) -> None:
    # canonical/microk8s#276: "Edit /var/snap/microk8s/current/args/cni-network/cni.yaml and replace the new IP range"
    loaded = read(errors_ok=True, steps__md="Edit /var/snap/microk8s/current/args/cni-network/cni.yaml and replace "
                                            "the new IP range in.\n")
    assert not any("microk8s" in (k or "") for k in kinds(loaded).values())
