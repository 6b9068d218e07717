"""Sources: readers that recognise inputs by content and turn them into model fragments.

Each source module defines ``SOURCES: tuple[Source, ...]``; :func:`builtin_sources` collects them
in the order of ``_BUILTIN``. Every source that accepts a document reads it.

A source that most checks never meet (the snapshot decoder and the text ``ip`` output reader, which
need msgspec and the snapshot model; the other distributions' configurations; ``kubectl describe
node`` text; Helm and Kustomize inputs; flannel's subnet.env) is listed as a :class:`DeferredSource`
with a cheap content test instead: its module is imported only when a document passes that test, so
a check of a kubeadm configuration and a node list never loads it. Each test holds for every
document the real source accepts (tests/sources/test_deferred_sources.py checks that over the test
data).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from netblame._record import Record, record
from netblame.sources._base import Document, Source
from netblame.sources._kube import objects
from netblame.sources.loader import Loaded, load_paths


def _has_schema(doc: Document) -> bool:
    return doc.json and isinstance(doc.data, dict) and "schema" in doc.data


def _first_non_mapping(doc: Document) -> bool:
    return doc.index == 0 and not isinstance(doc.data, dict)


_REAL: dict[tuple[str, str], Source] = {}  # a deferred source's real one, once its module is imported


@record
class DeferredSource(Record):
    """A source that stands for module ``module``'s source of kind ``kind`` and imports that module only
    when ``sniff`` (a test that every document the real source accepts passes) holds."""

    kind: str
    module: str
    sniff: Callable[[Document], bool]

    def source(self) -> Source:
        """The real source (its module imported on first use)."""
        real = _REAL.get((self.module, self.kind))
        if real is None:
            module: Any = importlib.import_module(f"netblame.sources.{self.module}")
            real = _REAL[self.module, self.kind] = next(s for s in module.SOURCES if s.kind == self.kind)
        return real

    def accepts(self, doc: Document) -> bool:
        return self.sniff(doc) and self.source().accepts(doc)

    def read(self, doc: Document) -> Sequence[object]:
        return self.source().read(doc)


def _any_of(*words: str) -> Callable[[Document], bool]:
    return lambda doc: any(word in doc.text for word in words)


def _lists(*kinds: str) -> Callable[[Document], bool]:
    """True for a document that is, or lists, an object of one of ``kinds``."""
    wanted = frozenset(kinds)
    return lambda doc: next(objects(doc, wanted), None) is not None


def _first_text(*words: str) -> Callable[[Document], bool]:
    """True for the first document of a file that is not a mapping or a list and holds one of ``words``."""
    return lambda doc: doc.index == 0 and not isinstance(doc.data, dict | list) and _any_of(*words)(doc)


def _mapping_with(*keys: str) -> Callable[[Document], bool]:
    return lambda doc: isinstance(doc.data, dict) and any(key in doc.data for key in keys)


def _of_kind(kind: str) -> Callable[[Document], bool]:
    return lambda doc: doc.kind == kind


def _at_line_start(text: str, word: str) -> bool:
    return text.startswith(word) or f"\n{word}" in text


def _describe_node(doc: Document) -> bool:
    """A first document with a line that starts as ``kubectl describe node`` lines do."""
    return doc.index == 0 and any(_at_line_start(doc.text, w) for w in ("PodCIDR", "Addresses:", "Roles:"))


def _calico_configmap(doc: Document) -> bool:
    return "calico" in doc.text and _lists("ConfigMap")(doc)


def _talos(doc: Document) -> bool:
    return isinstance(doc.data, dict) and isinstance(doc.data.get("cluster"), dict)


# Every built-in source, most specific first: a module's sources, or a stand-in for one of them.
_BUILTIN: tuple[str | DeferredSource, ...] = (
    "kubeadm",
    "componentconfig",
    "configmaps",
    "staticpods",
    "nodes",
    DeferredSource("kubectl-describe-node", "describe_node", _describe_node),
    "cilium",
    "calico",
    DeferredSource("calico-node-daemonset", "calico_manifest", _lists("DaemonSet")),
    DeferredSource("calico-configmap", "calico_manifest", _calico_configmap),
    "flannel",
    "antrea",
    "kube_router",
    "k3s",
    DeferredSource("k0s-cluster-config", "distros", _of_kind("ClusterConfig")),
    DeferredSource("talos-machine-config", "distros", _talos),
    DeferredSource("kind-cluster-config", "distros", _of_kind("Cluster")),
    DeferredSource("minikube-profile", "distros", _mapping_with("KubernetesConfig")),
    DeferredSource("k8s-snap-bootstrap-config", "distros", _mapping_with("cluster-config", "pod-cidr")),
    DeferredSource("k8s-charm-config", "juju", _any_of("bootstrap-", "charm")),
    DeferredSource("microk8s", "microk8s", _any_of("microk8s", "${SNAP")),
    DeferredSource("helm-set-values", "helm", _first_text("helm", "cilium")),
    DeferredSource("kustomization", "kustomize", _of_kind("Kustomization")),
    DeferredSource("helm-controller-chart", "helm_controller", _lists("HelmChart", "HelmChartConfig")),
    DeferredSource("flannel-subnet-env", "flannel_subnet_env", _first_text("FLANNEL_")),
    "flagtext",
    "dns",
    DeferredSource("netblame-snapshot", "snapshot", _has_schema),
    DeferredSource("iproute2-text", "iproute2_text", _first_non_mapping),
)


def builtin_sources() -> tuple[Source, ...]:
    """Every built-in source, most specific first."""
    out: list[Source] = []
    for entry in _BUILTIN:
        if isinstance(entry, DeferredSource):
            out.append(entry)
        else:
            out.extend(importlib.import_module(f"netblame.sources.{entry}").SOURCES)
    return tuple(out)


__all__ = ["DeferredSource", "Document", "Loaded", "Source", "builtin_sources", "load_paths"]
