"""Kubernetes component configuration files: KubeletConfiguration and KubeProxyConfiguration.

kube-proxy's ``clusterCIDR`` mirrors the pod range (kubeadm copies ``podSubnet`` into it), so it is
read as one more statement of the pod range: when it disagrees with the others, that is a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence

from netblame.model.cluster import ClusterNetwork
from netblame.sources._base import Document
from netblame.sources._flags import addresses
from netblame.sources._tree import Cursor


def kubelet_configuration(root: Cursor) -> list[ClusterNetwork]:
    """``maxPods``, ``clusterDNS`` and ``clusterDomain`` of a KubeletConfiguration mapping."""
    fragment = ClusterNetwork(
        max_pods=root["maxPods"].integer("a number of pods such as 110", low=1),
        cluster_dns=addresses(root["clusterDNS"], "an IP address such as 10.96.0.10"),
        dns_domain=root["clusterDomain"].sourced_text(),
    )
    return [] if fragment.is_empty else [fragment]


def kube_proxy_configuration(root: Cursor) -> list[ClusterNetwork]:
    """``clusterCIDR`` of a KubeProxyConfiguration mapping (comma-separated when dual-stack)."""
    pods = root["clusterCIDR"].cidrs("a pod range (kube-proxy clusterCIDR)")
    return [ClusterNetwork(pod_cidrs=pods)] if pods else []


class KubeletConfigurationSource:
    """``kind: KubeletConfiguration`` (``kubelet.config.k8s.io``)."""

    kind = "kubelet-configuration"

    def accepts(self, doc: Document) -> bool:
        return doc.kind == "KubeletConfiguration" and (doc.api_version or "").startswith("kubelet.config.k8s.io/")

    def read(self, doc: Document) -> Sequence[object]:
        return kubelet_configuration(Cursor.root(doc))


class KubeProxyConfigurationSource:
    """``kind: KubeProxyConfiguration`` (``kubeproxy.config.k8s.io``)."""

    kind = "kube-proxy-configuration"

    def accepts(self, doc: Document) -> bool:
        return doc.kind == "KubeProxyConfiguration" and (doc.api_version or "").startswith("kubeproxy.config.k8s.io/")

    def read(self, doc: Document) -> Sequence[object]:
        return kube_proxy_configuration(Cursor.root(doc))


SOURCES = (KubeletConfigurationSource(), KubeProxyConfigurationSource())
