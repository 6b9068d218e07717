"""NB112 as the user sees it: a misspelt flag names the real one, a flag no release had is a warning, a flag
Kubernetes removed names the release, and real flags (any spelling pflag accepts) give nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from netblame.api.check import check
from netblame.findings import Finding, Severity


def nb112(tmp_path: Path, name: str, text: str) -> list[Finding]:
    path = tmp_path / name
    path.write_text(text)
    report = check([str(path)])
    assert not report.failures and not report.errors
    return [f for f in report.findings if f.rule == "NB112"]


def test_a_misspelt_flag_names_the_real_one(tmp_path: Path) -> None:
    [finding] = nb112(tmp_path, "proxy.sh", "kube-proxy --cluster-cidr=10.244.0.0/16 --masquerade-al\n")
    assert finding.severity is Severity.ERROR
    assert "kube-proxy has no flag --masquerade-al; did you mean --masquerade-all?" in finding.message
    assert finding.fix == "write --masquerade-all instead of --masquerade-al."


def test_a_flag_the_program_never_had_is_a_warning(tmp_path: Path) -> None:
    [finding] = nb112(tmp_path, "kubelet.env", 'KUBELET_EXTRA_ARGS="--max-pods=110 --pod-network-cidr=10.244.0.0/16"\n')
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("kubelet has no flag --pod-network-cidr. ")
    assert "kubelet --help" in finding.fix


@pytest.mark.parametrize(("flag", "release"), [("network-plugin=cni", "v1.24"), ("cni-bin-dir=/opt/cni/bin", "v1.24"),
                                               ("container-runtime=remote", "v1.27")])
def test_a_removed_flag_names_the_release(tmp_path: Path, flag: str, release: str) -> None:
    [finding] = nb112(tmp_path, "kubelet.env", f'KUBELET_EXTRA_ARGS="--max-pods=110 --{flag}"\n')
    name = flag.partition("=")[0]
    assert finding.severity is Severity.ERROR
    assert f"kubelet has no flag --{name}: it was removed in Kubernetes {release}." in finding.message
    assert finding.fix == f"remove --{name}: kubelet {release} and later do not have it."
    assert finding.location is not None and finding.location.line == 1


def test_real_flags_in_any_spelling_give_nothing(tmp_path: Path) -> None:
    text = ("kube-controller-manager --allocate-node-cidrs --cluster-cidr 10.244.0.0/16 --node_cidr_mask_size=24 \\\n"
            "  --leader-elect=true --v=2 --feature-gates=AllAlpha=false --use-service-account-credentials\n")
    assert nb112(tmp_path, "kcm.sh", text) == []


def test_flags_k3s_hands_to_a_component_are_checked_against_that_component(tmp_path: Path) -> None:
    config = ("cluster-cidr: 10.42.0.0/16\n"
              "kubelet-arg:\n  - max-pod=200\n  - network-plugin=cni\n  - max-pods=110\n"
              "kube-controller-manager-arg: node-cidr-mask-size=25\n")
    found = {(f.location.line, f.message.split(" ")[0], f.severity) for f in nb112(tmp_path, "config.yaml", config)}
    assert found == {(3, "kubelet", Severity.ERROR), (4, "kubelet", Severity.ERROR)}
    [line] = nb112(tmp_path, "install.sh", "curl -sfL https://get.k3s.io | sh -s - server "
                                          "--kube-proxy-arg metrics-bind-addr=0.0.0.0:10249\n")
    assert "kube-proxy has no flag --metrics-bind-addr; did you mean --metrics-bind-address?" in line.message
    assert "config file" not in line.message  # kube-proxy refuses to start; there is no config file to ignore it


def test_a_k3s_key_misspelt_says_the_config_ignores_it(tmp_path: Path) -> None:
    [finding] = nb112(tmp_path, "config.yaml", "cluster-cidr: 10.42.0.0/16\nflannel-backed: host-gw\n")
    assert "k3s server has no flag --flannel-backed; did you mean --flannel-backend?" in finding.message
    assert "in its config file, the setting is ignored" in finding.message


KUBEADM_V1BETA3 = """apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
controllerManager:
  extraArgs:
    node_cidr_mask_size: "25"
    cluster-cider: 10.244.0.0/16
apiServer:
  extraArgs:
    service-node-port-range: 30000-32767
    logtostderr: "true"
scheduler:
  extraArgs:
    no-such-scheduler-flag: "1"
"""


def test_kubeadm_extra_args_are_the_components_flags(tmp_path: Path) -> None:
    """A v1beta3 map: the misspelt controller-manager flag and the removed kube-apiserver one are reported at
    their lines, with the fix written for the setting; a flag spelt with underscores is pflag's and fine, and
    kube-scheduler has no flag list, so its entries are not judged."""
    findings = {f.message.split(" has no flag ")[1].split(";")[0].split(":")[0]: f
                for f in nb112(tmp_path, "kubeadm.yaml", KUBEADM_V1BETA3)}
    assert sorted(findings) == ["--cluster-cider", "--logtostderr"]
    misspelt, removed = findings["--cluster-cider"], findings["--logtostderr"]
    assert misspelt.location is not None and misspelt.location.line == 8
    assert misspelt.message.startswith("kube-controller-manager has no flag --cluster-cider; did you mean "
                                       "--cluster-cidr? kubeadm passes each entry of controllerManager.extraArgs")
    assert misspelt.fix == "in controllerManager.extraArgs, write `cluster-cidr` instead of `cluster-cider`."
    assert removed.location is not None and removed.location.line == 12
    assert removed.fix == ("remove `logtostderr` from apiServer.extraArgs: kube-apiserver v1.26 and later do not "
                           "have it.")


def test_kubeadm_v1beta4_kubelet_extra_args_are_reported_at_the_name(tmp_path: Path) -> None:
    text = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n"
            "    - name: node-ip\n      value: 192.168.1.21\n    - name: max-pod\n      value: \"200\"\n")
    [finding] = nb112(tmp_path, "join.yaml", text)
    assert finding.location is not None and finding.location.line == 7
    assert "kubeadm passes each entry of nodeRegistration.kubeletExtraArgs to kubelet as a flag" in finding.message
    assert finding.fix == "in nodeRegistration.kubeletExtraArgs, write `max-pods` instead of `max-pod`."


def test_correct_kubeadm_extra_args_give_nothing(tmp_path: Path) -> None:
    text = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrollerManager:\n  extraArgs:\n"
            "    - name: node-cidr-mask-size\n      value: \"24\"\n    - name: bind-address\n      value: 0.0.0.0\n"
            "apiServer:\n  extraArgs:\n    - name: enable-admission-plugins\n      value: NodeRestriction\n"
            "---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n"
            "  kubeletExtraArgs:\n    - name: node-ip\n      value: 10.0.0.2\n")
    assert nb112(tmp_path, "kubeadm.yaml", text) == []


@pytest.mark.parametrize(("program", "flag"), [("kube-apiserver", "insecure-port=0"),
                                               ("kube-apiserver", "insecure-bind-address=127.0.0.1"),
                                               ("kube-controller-manager", "address=0.0.0.0"),
                                               ("kube-controller-manager", "port=10252"),
                                               ("kube-controller-manager", "deployment-controller-sync-period=30s")])
def test_insecure_serving_flags_went_in_v1_24(tmp_path: Path, program: str, flag: str) -> None:
    """Old kubeadm manifests and guides still carry them; v1.24 components refuse to start with them."""
    [finding] = nb112(tmp_path, "cmd.sh", f"{program} --v=2 --{flag}\n")
    name = flag.partition("=")[0]
    assert f"{program} has no flag --{name}: it was removed in Kubernetes v1.24." in finding.message
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize(("name", "text", "tool", "setting"), [
    ("k0s.yaml", "apiVersion: k0s.k0sproject.io/v1beta1\nkind: ClusterConfig\nspec:\n  controllerManager:\n"
                 "    extraArgs:\n      node-cidr-mask-size-ipv4: \"25\"\n      node-monitor-grace-periode: 16s\n",
     "k0s", "spec.controllerManager.extraArgs"),
    ("talos.yaml", "version: v1alpha1\nmachine:\n  type: controlplane\ncluster:\n  network:\n"
                   "    podSubnets: [10.244.0.0/16]\n  controllerManager:\n    extraArgs:\n"
                   "      node-monitor-grace-periode: 16s\n      bind-address: 0.0.0.0\n",
     "Talos", "cluster.controllerManager.extraArgs"),
])
def test_k0s_and_talos_controller_manager_extra_args(tmp_path: Path, name: str, text: str, tool: str,
                                                     setting: str) -> None:
    [finding] = nb112(tmp_path, name, text)
    assert f"{tool} passes each entry of {setting} to kube-controller-manager as a flag" in finding.message
    assert finding.fix == f"in {setting}, write `node-monitor-grace-period` instead of `node-monitor-grace-periode`."
    assert finding.location is not None and finding.location.line == text.splitlines().index(
        "      node-monitor-grace-periode: 16s") + 1


def test_talos_hands_every_component_its_extra_args(tmp_path: Path) -> None:
    text = ("version: v1alpha1\nmachine:\n  type: controlplane\n  kubelet:\n    extraArgs:\n"
            "      rotate-server-certificates: \"true\"\n      max-pod: \"200\"\ncluster:\n  apiServer:\n"
            "    extraArgs:\n      insecure-port: \"0\"\n  proxy:\n    extraArgs:\n      proxy-mode: iptables\n"
            "      masquerade-al: \"true\"\n")
    found = {(f.message.split(" has no flag ")[0], f.location.line if f.location else None): f.fix
             for f in nb112(tmp_path, "controlplane.yaml", text)}
    assert found == {
        ("kubelet", 7): "in machine.kubelet.extraArgs, write `max-pods` instead of `max-pod`.",
        ("kube-apiserver", 11): ("remove `insecure-port` from cluster.apiServer.extraArgs: kube-apiserver v1.24 and "
                                 "later do not have it."),
        ("kube-proxy", 15): "in cluster.proxy.extraArgs, write `masquerade-all` instead of `masquerade-al`.",
    }


def test_a_talos_patch_without_extra_args_gives_nothing(tmp_path: Path) -> None:
    assert nb112(tmp_path, "patch.yaml", "cluster:\n  network:\n    podSubnets: [10.244.0.0/16]\n") == []
