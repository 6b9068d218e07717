"""ConfigMaps that carry a component's configuration file as a string, as ``kubectl get cm -o yaml``
or ``-o json`` prints them: ``kube-system/kubeadm-config`` (key ``ClusterConfiguration``),
``kube-system/kubelet-config`` (key ``kubelet``) and ``kube-system/kube-proxy`` (key ``config.conf``)
(FACTS A.7: cmd/kubeadm/app/constants/constants.go). Recognised by the embedded document's
``kind``, not by the ConfigMap's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from netblame.model.cluster import ClusterNetwork
from netblame.model.flags import FlagNote
from netblame.sources._embedded import embedded_yaml
from netblame.sources._kube import ObjectSource, kind_of
from netblame.sources._tree import Cursor
from netblame.sources.componentconfig import kube_proxy_configuration, kubelet_configuration
from netblame.sources.kubeadm import cluster_configuration

Reader = Callable[[Cursor], Sequence[ClusterNetwork | FlagNote]]

# embedded kind -> (apiVersion prefix, reader)
READERS: dict[str, tuple[str, Reader]] = {
    "ClusterConfiguration": ("kubeadm.k8s.io/", cluster_configuration),
    "KubeletConfiguration": ("kubelet.config.k8s.io/", kubelet_configuration),
    "KubeProxyConfiguration": ("kubeproxy.config.k8s.io/", kube_proxy_configuration),
}
_KIND_LINE = re.compile(r"^kind:\s*[\"']?(\w+)", re.MULTILINE)


def _embedded_keys(obj: Cursor) -> list[str]:
    data = obj["data"].value
    if not isinstance(data, dict):
        return []
    return [key for key, value in data.items()
            if isinstance(value, str) and any(m.group(1) in READERS for m in _KIND_LINE.finditer(value))]


class ComponentConfigMapSource(ObjectSource):
    """A ConfigMap whose data holds a ClusterConfiguration, KubeletConfiguration or KubeProxyConfiguration."""

    kind = "component-config-configmap"
    object_kinds = frozenset({"ConfigMap"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "ConfigMap" and bool(_embedded_keys(obj))

    def read_object(self, obj: Cursor) -> Sequence[object]:
        out: list[object] = []
        for key in _embedded_keys(obj):
            for doc in embedded_yaml(obj["data"][key]):
                if doc.kind in READERS and (doc.api_version or "").startswith(READERS[doc.kind][0]):
                    out.extend(READERS[doc.kind][1](Cursor.root(doc)))
        return out


SOURCES = (ComponentConfigMapSource(),)
