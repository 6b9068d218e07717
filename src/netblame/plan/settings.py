"""Where each distribution takes the cluster's ranges and node mask, written as the exact line to change.

kubeadm is the default; k3s and RKE2 take flags or ``/etc/rancher/{k3s,rke2}/config.yaml`` keys
(k3s-io/docs docs/cli/server.md, rancher/rke2-docs docs/reference/server_config.md); k0s, Talos, kind,
minikube and Canonical Kubernetes their own config keys (sources in docs/sources.md).
"""

from __future__ import annotations

from netblame.model.cidr import Family
from netblame.model.cluster import ClusterNetwork, Distribution

# Distributions whose own CNI takes the pod range from the cluster setting, so no separate CNI line is due.
CNI_FOLLOWS_POD_RANGE: frozenset[Distribution] = frozenset({"k3s", "rke2", "talos", "microk8s"})


def distribution(cluster: ClusterNetwork) -> Distribution:
    """What sets the cluster up (kubeadm unless an input says otherwise)."""
    return cluster.distribution.value if cluster.distribution is not None else "kubeadm"


def _rancher(name: str, key: str, value: str) -> str:
    return (f"`{key}: {value}` in /etc/rancher/{name}/config.yaml on every server (`{name} server --{key} "
            f"{value}`); nodes that already have a pod range keep it (a Node's spec.podCIDR cannot change once "
            "set), so they are deleted and joined again")


def _charm(key: str, joined: str) -> str:
    return (f"`{key}: {joined}` in the k8s charm's options (`juju deploy k8s --config {key}={joined}`); the charm "
            "takes it only when the cluster is bootstrapped, so an existing cluster is deployed again")


def _microk8s_pods(joined: str) -> str:
    return (f"`--cluster-cidr={joined}` in /var/snap/microk8s/current/args/kube-proxy and `CALICO_IPV4POOL_CIDR: "
            f"{joined}` in /var/snap/microk8s/current/args/cni-network/cni.yaml (then `microk8s stop && microk8s "
            "start`, and `microk8s kubectl delete ippool default-ipv4-ippool` so Calico creates it again)")


def pod_setting(cluster: ClusterNetwork, joined: str) -> str:
    """The line that sets the pod range to ``joined`` (comma-separated, one per family)."""
    kind = distribution(cluster)
    listed = ", ".join(f'"{p}"' for p in joined.split(","))
    return {
        "k3s": lambda: _rancher("k3s", "cluster-cidr", joined),
        "rke2": lambda: _rancher("rke2", "cluster-cidr", joined),
        "k0s": lambda: f"k0s.yaml `spec.network.podCIDR: {joined}`",
        "talos": lambda: f"Talos machine config `cluster.network.podSubnets: [{listed}]`",
        "kind": lambda: f"kind config `networking.podSubnet: \"{joined}\"`",
        "minikube": lambda: f"`minikube start --extra-config=kubeadm.pod-network-cidr={joined}`",
        "k8s-snap": lambda: f"bootstrap config `pod-cidr: {joined}` (`k8s bootstrap --file`)",
        "k8s-charm": lambda: _charm("bootstrap-pod-cidr", joined),
        "microk8s": lambda: _microk8s_pods(joined),
    }.get(kind, lambda: (f"`kubeadm init --pod-network-cidr {joined}` (kubeadm config `networking.podSubnet: "
                         f"{joined}`; on a running control plane, kube-controller-manager "
                         f"`--cluster-cidr={joined}`)"))()


def service_setting(cluster: ClusterNetwork, joined: str) -> str:
    """The line that sets the service range to ``joined``."""
    kind = distribution(cluster)
    listed = ", ".join(f'"{p}"' for p in joined.split(","))
    return {
        "k3s": lambda: _rancher("k3s", "service-cidr", joined) + " (and `cluster-dns` inside it)",
        "rke2": lambda: _rancher("rke2", "service-cidr", joined) + " (and `cluster-dns` inside it)",
        "k0s": lambda: f"k0s.yaml `spec.network.serviceCIDR: {joined}`",
        "talos": lambda: f"Talos machine config `cluster.network.serviceSubnets: [{listed}]`",
        "kind": lambda: f"kind config `networking.serviceSubnet: \"{joined}\"`",
        "minikube": lambda: f"`minikube start --service-cluster-ip-range={joined}`",
        "k8s-snap": lambda: f"bootstrap config `service-cidr: {joined}` (`k8s bootstrap --file`)",
        "k8s-charm": lambda: _charm("bootstrap-service-cidr", joined),
        "microk8s": lambda: (f"`--service-cluster-ip-range={joined}` in /var/snap/microk8s/current/args/kube-apiserver "
                             "(and kubelet `--cluster-dns` inside it; then `microk8s stop && microk8s start`)"),
    }.get(kind, lambda: (f"`kubeadm init --service-cidr {joined}` (kubeadm config `networking.serviceSubnet: "
                         f"{joined}`; kube-apiserver and kube-controller-manager "
                         f"`--service-cluster-ip-range={joined}`)"))()


def mask_setting(cluster: ClusterNetwork, family: Family, mask: int) -> str:
    """The line that sets kube-controller-manager's node mask for ``family``."""
    flag = f"node-cidr-mask-size-ipv{family}"
    kind = distribution(cluster)
    if kind in ("k3s", "rke2"):
        return (f"`kube-controller-manager-arg: [\"{flag}={mask}\"]` in /etc/rancher/{kind}/config.yaml "
                f"(`{kind} server --kube-controller-manager-arg {flag}={mask}`)")
    if kind == "talos":
        return f"Talos machine config `cluster.controllerManager.extraArgs: {{{flag}: \"{mask}\"}}`"
    if kind == "k8s-charm":
        return f"`kube-controller-manager-extra-args: \"{flag}={mask}\"` in the k8s charm's options (at deployment)"
    if kind == "microk8s":
        return f"`--{flag}={mask}` in /var/snap/microk8s/current/args/kube-controller-manager"
    if kind == "k0s":
        return f"k0s.yaml `spec.controllerManager.extraArgs: {{{flag}: \"{mask}\"}}`"
    return (f"kube-controller-manager `--{flag}={mask}` (kubeadm config controllerManager.extraArgs "
            f"`- name: {flag}` / `value: \"{mask}\"`)")
