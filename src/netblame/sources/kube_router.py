"""kube-router's arguments as a YAML list (the ``args:`` of the kube-router container in its DaemonSet,
cloudnativelabs/kube-router daemonset/kubeadm-kuberouter.yaml; ``netblame plan`` writes them so).

kube-router takes each node's pod range from the node's ``spec.podCIDR`` (kube-controller-manager
allocates it); its optional ``--cluster-cidr`` names the whole pod range (docs/user-guide.md). Recognised
by a list of flags that includes one of kube-router's ``--run-router``, ``--run-firewall``,
``--run-service-proxy``.
"""

from __future__ import annotations

from collections.abc import Sequence

from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork
from netblame.sources._base import Document
from netblame.sources._tree import Cursor

OWN_FLAGS = ("--run-router", "--run-firewall", "--run-service-proxy")


def looks_like_args(data: object) -> bool:
    """A list of ``--flag`` strings with at least one of kube-router's own."""
    if not isinstance(data, list) or not data or not all(isinstance(a, str) and a.startswith("--") for a in data):
        return False
    return any(a.split("=", 1)[0] in OWN_FLAGS for a in data)


class KubeRouterArgsSource:
    """The kube-router container's args."""

    kind = "kube-router-args"

    def accepts(self, doc: Document) -> bool:
        return looks_like_args(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        pods: list[Cidr] = []
        for item in Cursor.root(doc).items():
            name, _, value = str(item.value).partition("=")
            if name == "--cluster-cidr":
                pods += Cursor(doc, value, "--cluster-cidr", item.line).cidrs("a pod range such as 10.244.0.0/16")
        return [ClusterNetwork(pod_cidrs=tuple(pods))]


SOURCES = (KubeRouterArgsSource(),)
