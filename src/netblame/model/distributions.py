"""Each Kubernetes distribution's default pod and service ranges per address family: what runs when a
file leaves the range unset. The distribution readers (sources/k3s.py, sources/distros.py) take them as
defaults, marked as such, and the planner (plan/propose.py) prefers a distribution's own default when it
is free, so both read this one table. Where each value is written upstream: docs/sources.md ("k3s and
RKE2", "Other distributions") and docs/plan.md.
"""

from __future__ import annotations

from typing import Final

DEFAULT_PODS: Final[dict[str, dict[int, str]]] = {
    "kubeadm": {},  # networking.podSubnet has no default (FACTS.md A.1)
    "k3s": {4: "10.42.0.0/16"},  # k3s-io/docs docs/cli/server.md --cluster-cidr
    "rke2": {4: "10.42.0.0/16"},  # rancher/rke2-docs docs/reference/server_config.md
    "k0s": {4: "10.244.0.0/16"},  # k0sproject/k0s pkg/apis/k0s/v1beta1/network.go DefaultNetwork
    "talos": {4: "10.244.0.0/16"},  # siderolabs/talos pkg/machinery/constants DefaultIPv4PodNet
    "microk8s": {4: "10.1.0.0/16"},  # canonical.com/microk8s/docs/change-cidr; default-args/cni-env
    "k8s-snap": {4: "10.1.0.0/16"},  # canonical/k8s-snap cluster_config_defaults.go
    "k8s-charm": {4: "10.1.0.0/16"},  # canonical/k8s-operator charms/worker/k8s/charmcraft.yaml bootstrap-pod-cidr
    "kind": {4: "10.244.0.0/16", 6: "fd00:10:244::/56"},  # kubernetes-sigs/kind v1alpha4/default.go
    "minikube": {4: "10.244.0.0/16"},  # kubernetes/minikube pkg/minikube/cni/cni.go DefaultPodCIDR
}
DEFAULT_SERVICES: Final[dict[str, dict[int, str]]] = {
    "kubeadm": {4: "10.96.0.0/12"},  # FACTS.md A.1
    "k3s": {4: "10.43.0.0/16"},
    "rke2": {4: "10.43.0.0/16"},
    "k0s": {4: "10.96.0.0/12"},
    "talos": {4: "10.96.0.0/12"},  # DefaultIPv4ServiceNet
    "microk8s": {4: "10.152.183.0/24"},
    "k8s-snap": {4: "10.152.183.0/24"},
    "k8s-charm": {4: "10.152.183.0/24"},  # bootstrap-service-cidr
    "kind": {4: "10.96.0.0/16", 6: "fd00:10:96::/112"},
    "minikube": {4: "10.96.0.0/12"},
}
# The CNI each distribution deploys when none is chosen, as (what the distribution calls it, the routing
# between nodes): k3s and Talos bundle Flannel with VXLAN (k3s --flannel-backend; Talos DefaultCNI), RKE2's
# --cni is canal (Flannel VXLAN between nodes, Calico for policy), k0s runs kube-router (BGP, no tunnel),
# MicroK8s Calico with VXLAN (docs/handoff.md, docs/sources.md).
DEFAULT_CNI: Final[dict[str, tuple[str, str]]] = {
    "k3s": ("flannel", "vxlan"),
    "talos": ("flannel", "vxlan"),
    "rke2": ("canal", "vxlan"),
    "k0s": ("kube-router", "none"),
    "microk8s": ("calico", "vxlan"),
}
# The CNI that carries pod traffic between nodes under a bundle's name (Canal's data path is Flannel's).
DATA_PATH_CNI: Final[dict[str, str]] = {"canal": "flannel"}
