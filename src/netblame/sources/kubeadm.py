"""kubeadm configuration (``kubeadm.k8s.io`` v1beta1 to v1beta4): ClusterConfiguration, and the
kubelet flags of InitConfiguration and JoinConfiguration.

ClusterConfiguration yields up to three fragments, one per component that ends up with the value,
so that disagreements (``podSubnet`` against a controller-manager ``cluster-cidr`` extra argument)
become conflicts instead of being silently resolved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from netblame.model.cidr import Cidr, parse_cidr
from netblame.model.cluster import ClusterNetwork
from netblame.model.flags import FlagNote
from netblame.model.origin import Origin, Sourced
from netblame.sources import _flags
from netblame.sources._base import Document, ReadNote
from netblame.sources._tree import Cursor

API_GROUP = "kubeadm.k8s.io/"
# networking.serviceSubnet and kubeadm init --service-cidr default (FACTS A.1: DefaultServicesSubnet).
DEFAULT_SERVICE_SUBNET = "10.96.0.0/12"


def default_service_range(near: Origin) -> Cidr:
    """kubeadm's default service range, marked as that default (``near`` is where it would have been set)."""
    return parse_cidr(DEFAULT_SERVICE_SUBNET, dataclasses.replace(near, default="kubeadm networking.serviceSubnet"))


def _is_kubeadm(doc: Document, *kinds: str) -> bool:
    """``kind`` is one of ``kinds`` and ``apiVersion`` is kubeadm's, or absent (a pasted fragment)."""
    return doc.kind in kinds and (doc.api_version is None or doc.api_version.startswith(API_GROUP))


def assumed_version(doc: Document) -> list[ReadNote]:
    """The note for a kubeadm document pasted without ``apiVersion``."""
    if doc.api_version is not None:
        return []
    return [ReadNote(f"{doc.kind} without apiVersion, taken as kubeadm's ({API_GROUP}v1beta4; the networking "
                     "fields read here are the same in v1beta1 to v1beta4)", doc.origin())]


# The settings whose entries kubeadm passes to a component as its flags, and the component (kube-scheduler's
# and etcd's extraArgs are not judged: there is no flag table for them).
EXTRA_ARGS = {"controllerManager.extraArgs": "kube-controller-manager", "apiServer.extraArgs": "kube-apiserver"}
KUBELET_EXTRA_ARGS = {"nodeRegistration.kubeletExtraArgs": "kubelet"}


def cluster_configuration(root: Cursor) -> list[ClusterNetwork | FlagNote]:
    """Fragments from one ClusterConfiguration mapping (also used for the kubeadm-config ConfigMap), and the
    flags its ``extraArgs`` give a component that does not have them."""
    net = root["networking"].mapping()
    pods = net["podSubnet"].cidrs("a pod subnet")
    kcm = _flags.controller_manager(_flags.extra_args(root["controllerManager"].mapping()["extraArgs"]), pods)
    # kubeadm passes --allocate-node-cidrs=true to the controller-manager when podSubnet is set
    # (FACTS A.2: cmd/kubeadm/app/phases/controlplane/manifests.go); an extra argument overrides it.
    implied = Sourced(True, net["podSubnet"].origin()) if pods and kcm.allocate_node_cidrs is None else None
    domain = net["dnsDomain"].sourced_text()
    services = net["serviceSubnet"].cidrs("a service subnet") or (default_service_range(net["serviceSubnet"].origin()),)
    fragments = [
        ClusterNetwork(pod_cidrs=pods, service_cidrs=services,
                       dns_domain=domain, allocate_node_cidrs=implied),
        kcm,
        _flags.apiserver(_flags.extra_args(root["apiServer"].mapping()["extraArgs"])),
    ]
    return [*(f for f in fragments if not f.is_empty), *_flags.unknown_extra_args(root, EXTRA_ARGS, "kubeadm")]


class ClusterConfigurationSource:
    """``kind: ClusterConfiguration`` with ``apiVersion: kubeadm.k8s.io/*``."""

    kind = "kubeadm-cluster-configuration"

    def accepts(self, doc: Document) -> bool:
        return _is_kubeadm(doc, "ClusterConfiguration")

    def read(self, doc: Document) -> Sequence[object]:
        return [*cluster_configuration(Cursor.root(doc)), *assumed_version(doc)]


class NodeConfigurationSource:
    """``InitConfiguration`` / ``JoinConfiguration``: the kubelet flags in ``nodeRegistration``."""

    kind = "kubeadm-node-configuration"

    def accepts(self, doc: Document) -> bool:
        return _is_kubeadm(doc, "InitConfiguration", "JoinConfiguration")

    def read(self, doc: Document) -> Sequence[object]:
        root = Cursor.root(doc)
        fragment = _flags.kubelet(_flags.extra_args(root["nodeRegistration"].mapping()["kubeletExtraArgs"]))
        notes = _flags.unknown_extra_args(root, KUBELET_EXTRA_ARGS, "kubeadm")
        return [*([] if fragment.is_empty else [fragment]), *notes, *assumed_version(doc)]


SOURCES = (ClusterConfigurationSource(), NodeConfigurationSource())
