"""The other distributions home labs run, each recognised by its content, unset ranges filled with the
distribution's own defaults (marked as defaults, sources in docs/sources.md):

- k0s ``ClusterConfig`` (``k0s.k0sproject.io/v1beta1``): ``spec.network.podCIDR`` 10.244.0.0/16,
  ``serviceCIDR`` 10.96.0.0/12, ``clusterDomain`` (k0sproject/k0s pkg/apis/k0s/v1beta1/network.go,
  DefaultNetwork).
- Talos machine config (``version: v1alpha1`` with ``machine:`` and ``cluster:``): ``cluster.network.podSubnets``
  10.244.0.0/16, ``serviceSubnets`` 10.96.0.0/12, ``dnsDomain``, ``cni.name`` flannel (siderolabs/talos
  pkg/machinery/constants/constants.go: DefaultIPv4PodNet, DefaultIPv4ServiceNet, DefaultCNI).
- kind ``Cluster`` (``kind.x-k8s.io/v1alpha4``): ``networking.podSubnet`` 10.244.0.0/16 (IPv6 fd00:10:244::/56),
  ``serviceSubnet`` 10.96.0.0/16 (IPv6 fd00:10:96::/112) per ``ipFamily`` (kubernetes-sigs/kind
  pkg/apis/config/v1alpha4/default.go).
- minikube profile ``config.json``: ``KubernetesConfig.ServiceCIDR`` (10.96.0.0/12), the pod range from the
  ``kubeadm pod-network-cidr`` extra option, else minikube's CNI default 10.244.0.0/16
  (kubernetes/minikube pkg/minikube/cni/cni.go DefaultPodCIDR).
- Canonical Kubernetes (k8s-snap) bootstrap config: ``pod-cidr`` 10.1.0.0/16, ``service-cidr``
  10.152.183.0/24 (canonical/k8s-snap src/k8s/pkg/k8sd/types/cluster_config_defaults.go).

None of these pass a node mask to kube-controller-manager, so its defaults (/24, /64) apply.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from netblame._record import Record, record
from netblame.model.cidr import Cidr, parse_cidr
from netblame.model.cluster import ClusterNetwork, CniConfig, Distribution
from netblame.model.distributions import DEFAULT_CNI, DEFAULT_PODS, DEFAULT_SERVICES
from netblame.model.origin import Sourced
from netblame.sources import _flags
from netblame.sources._base import Document
from netblame.sources._tree import Cursor


@record
class Defaults(Record):
    """A distribution's default ranges per family and where they are written upstream."""

    name: str
    pods: dict[int, str]
    services: dict[int, str]


def _defaults(name: str, key: str) -> Defaults:
    return Defaults(name, DEFAULT_PODS[key], DEFAULT_SERVICES[key])


K0S = _defaults("k0s", "k0s")
TALOS = _defaults("Talos", "talos")
KIND = _defaults("kind", "kind")
MINIKUBE = _defaults("minikube", "minikube")
K8S_SNAP = _defaults("Canonical Kubernetes", "k8s-snap")


def _ranges(cursor: Cursor, what: str, defaults: dict[int, str], families: tuple[int, ...],
            why: str) -> tuple[Cidr, ...]:
    """The ranges written at ``cursor``, or the distribution's defaults for ``families``."""
    found = cursor.cidrs(what)
    if found:
        return found
    where = cursor.default_origin(why)
    return tuple(parse_cidr(defaults[f], where, what=what) for f in families if f in defaults)


def _network(distro: str, cursor_pods: Cursor, cursor_services: Cursor, defaults: Defaults,
             families: tuple[int, ...], keys: tuple[str, str]) -> tuple[tuple[Cidr, ...], tuple[Cidr, ...]]:
    pods = _ranges(cursor_pods, "a pod range", defaults.pods, families, f"{distro} {keys[0]}")
    services = _ranges(cursor_services, "a service range", defaults.services, families, f"{distro} {keys[1]}")
    return pods, services


def _made_by(doc: Document, distro: Distribution) -> Sourced[Distribution]:
    return Sourced(distro, doc.origin())


KCM_MASK_FLAGS = ("node-cidr-mask-size", "node-cidr-mask-size-ipv4", "node-cidr-mask-size-ipv6")


# Where a distribution hands a component its flags: a mapping of flag names (without dashes) to values, and the
# program. k0s: docs.k0sproject.io configuration (spec.controllerManager); Talos: siderolabs/talos
# pkg/machinery/config/types/v1alpha1/v1alpha1_types.go (each ``ExtraArgsConfig`` ``map[string]string``: "Extra
# arguments to supply to kube-proxy", and the same for the others).
K0S_EXTRA_ARGS = {"spec.controllerManager.extraArgs": "kube-controller-manager"}
TALOS_EXTRA_ARGS = {"cluster.controllerManager.extraArgs": "kube-controller-manager",
                    "cluster.apiServer.extraArgs": "kube-apiserver", "cluster.proxy.extraArgs": "kube-proxy",
                    "machine.kubelet.extraArgs": "kubelet"}


def _kcm_extra_args(controller_manager: Cursor, pods: tuple[Cidr, ...]) -> list[ClusterNetwork]:
    """The node masks a ``controllerManager.extraArgs`` mapping (k0s ``spec``, Talos ``cluster``) passes to
    kube-controller-manager, read as its flags; without them the masks stay kube-controller-manager's defaults."""
    extra = controller_manager.mapping()["extraArgs"].mapping()
    flags = {name: extra[name] for name in KCM_MASK_FLAGS if not extra[name].missing}
    if not flags:
        return []
    kcm = _flags.controller_manager(flags, pods)
    return [] if kcm.is_empty else [kcm]


def _allocate(cursor: Cursor, distro: str) -> Sourced[bool]:
    return Sourced(True, cursor.default_origin(f"{distro} runs kube-controller-manager with --allocate-node-cidrs"))


class K0sSource:
    """k0s ``ClusterConfig``: ``spec.network``."""

    kind = "k0s-cluster-config"

    def accepts(self, doc: Document) -> bool:
        return doc.kind == "ClusterConfig" and (doc.api_version or "").startswith("k0s.k0sproject.io/")

    def read(self, doc: Document) -> Sequence[object]:
        net = Cursor.root(doc)["spec"].mapping()["network"].mapping()
        dual = net["dualStack"].mapping()
        families = (4, 6) if dual["enabled"].boolean() else (4,)
        pods, services = _network("k0s", net["podCIDR"], net["serviceCIDR"], K0S, (4,),
                                  ("spec.network.podCIDR", "spec.network.serviceCIDR"))
        if 6 in families:
            pods += dual["IPv6podCIDR"].cidrs("an IPv6 pod range")
            services += dual["IPv6serviceCIDR"].cidrs("an IPv6 service range")
        domain = net["clusterDomain"].sourced_text()
        return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services, dns_domain=domain,
                               allocate_node_cidrs=_allocate(net["podCIDR"], "k0s"), distribution=_made_by(doc, "k0s")),
                *_kcm_extra_args(Cursor.root(doc)["spec"].mapping()["controllerManager"], pods),
                *_flags.unknown_extra_args(Cursor.root(doc), K0S_EXTRA_ARGS, "k0s")]


TALOS_NETWORK_KEYS = frozenset({"podSubnets", "serviceSubnets", "dnsDomain", "cni"})


def looks_like_talos(data: object) -> bool:
    """A Talos machine config (``version: v1alpha1`` with ``machine`` and ``cluster`` mappings), or a config
    patch for one (``machine`` and a ``cluster`` that holds ``network``, or only a ``cluster`` whose
    ``network`` holds nothing but Talos's network keys, as ``talosctl gen config --config-patch`` takes and
    ``netblame plan --distribution talos`` writes)."""
    if not isinstance(data, dict):
        return False
    cluster = data.get("cluster")
    if not isinstance(cluster, dict):
        return False
    network = cluster.get("network")
    if not isinstance(data.get("machine"), dict):
        return (set(data) == {"cluster"} and isinstance(network, dict) and bool(network)
                and set(network) <= TALOS_NETWORK_KEYS)
    return data.get("version") == "v1alpha1" or isinstance(network, dict)


class TalosSource:
    """Talos machine configuration: ``cluster.network`` (``podSubnets``, ``serviceSubnets``, ``dnsDomain``, ``cni``)."""

    kind = "talos-machine-config"

    def accepts(self, doc: Document) -> bool:
        return looks_like_talos(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        net = Cursor.root(doc)["cluster"].mapping()["network"].mapping()
        pods, services = _network("Talos", net["podSubnets"], net["serviceSubnets"], TALOS, (4,),
                                  ("cluster.network.podSubnets", "cluster.network.serviceSubnets"))
        cni_name = net["cni"].mapping()["name"]
        name = cni_name.sourced_text() or Sourced(DEFAULT_CNI["talos"][0],
                                                  cni_name.default_origin("Talos cluster.network.cni.name"))
        cnis: tuple[CniConfig, ...] = ()
        if name.value == "flannel":  # Talos's Flannel runs with --kube-subnet-mgr on the pod subnets
            cnis = (CniConfig("flannel", name.origin, ipam_mode=Sourced("kube-subnet-mgr", name.origin), pools=pods,
                              routing=Sourced("vxlan", dataclasses.replace(name.origin, default="Talos Flannel "
                                                                                                "backend"))),)
        return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services, dns_domain=net["dnsDomain"].sourced_text(),
                               allocate_node_cidrs=_allocate(net["podSubnets"], "Talos"), cnis=cnis,
                               distribution=_made_by(doc, "talos")),
                *_kcm_extra_args(Cursor.root(doc)["cluster"].mapping()["controllerManager"], pods),
                *_flags.unknown_extra_args(Cursor.root(doc), TALOS_EXTRA_ARGS, "Talos")]


class KindSource:
    """kind ``Cluster`` config: ``networking``."""

    kind = "kind-cluster-config"

    def accepts(self, doc: Document) -> bool:
        return doc.kind == "Cluster" and (doc.api_version or "").startswith(("kind.x-k8s.io/", "kind.sigs.k8s.io/"))

    def read(self, doc: Document) -> Sequence[object]:
        net = Cursor.root(doc)["networking"].mapping()
        family = (net["ipFamily"].text() or "ipv4").lower()
        families = {"ipv4": (4,), "ipv6": (6,), "dual": (4, 6)}.get(family)
        if families is None:
            raise net["ipFamily"].error("ipv4, ipv6 or dual")
        pods, services = _network("kind", net["podSubnet"], net["serviceSubnet"], KIND, families,
                                  ("networking.podSubnet", "networking.serviceSubnet"))
        return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services,
                               allocate_node_cidrs=_allocate(net["podSubnet"], "kind"),
                               distribution=_made_by(doc, "kind"))]


def looks_like_minikube(data: object) -> bool:
    """A minikube profile config: ``KubernetesConfig`` with ``ServiceCIDR`` beside a ``Name``."""
    if not isinstance(data, dict):
        return False
    kube = data.get("KubernetesConfig")
    return isinstance(kube, dict) and "ServiceCIDR" in kube and "Name" in data


class MinikubeSource:
    """minikube ``~/.minikube/profiles/NAME/config.json``."""

    kind = "minikube-profile"

    def accepts(self, doc: Document) -> bool:
        return looks_like_minikube(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        kube = Cursor.root(doc)["KubernetesConfig"]
        pod_option = next((o["Value"] for o in kube["ExtraOptions"].items()
                           if o["Component"].text() == "kubeadm" and o["Key"].text() == "pod-network-cidr"),
                          kube["PodCIDR"])
        pods, services = _network("minikube", pod_option, kube["ServiceCIDR"], MINIKUBE, (4,),
                                  ("pod range (kubeadm.pod-network-cidr)", "KubernetesConfig.ServiceCIDR"))
        return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services, dns_domain=kube["DNSDomain"].sourced_text(),
                               allocate_node_cidrs=_allocate(pod_option, "minikube"),
                               distribution=_made_by(doc, "minikube"))]


def looks_like_k8s_snap(data: object) -> bool:
    """A Canonical Kubernetes bootstrap config: ``cluster-config`` or ``pod-cidr``/``service-cidr`` at the top."""
    if not isinstance(data, dict) or "kind" in data:
        return False
    return isinstance(data.get("cluster-config"), dict) or ("pod-cidr" in data and "service-cidr" in data)


class K8sSnapSource:
    """Canonical Kubernetes (k8s-snap) bootstrap configuration (``k8s bootstrap --file``)."""

    kind = "k8s-snap-bootstrap-config"

    def accepts(self, doc: Document) -> bool:
        return looks_like_k8s_snap(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        root = Cursor.root(doc)
        pods, services = _network("Canonical Kubernetes", root["pod-cidr"], root["service-cidr"], K8S_SNAP, (4,),
                                  ("pod-cidr", "service-cidr"))
        domain = root["cluster-config"].mapping()["dns"].mapping()["cluster-domain"].sourced_text()
        return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services, dns_domain=domain,
                               allocate_node_cidrs=_allocate(root["pod-cidr"], "Canonical Kubernetes"),
                               distribution=_made_by(doc, "k8s-snap"))]


SOURCES = (K0sSource(), TalosSource(), KindSource(), MinikubeSource(), K8sSnapSource())
