"""Sources: readers that recognise inputs by content and turn them into model fragments.

Each source module defines ``SOURCES: tuple[Source, ...]``; :func:`builtin_sources` collects them
in the order of ``_MODULES``. Every source that accepts a document reads it.

A format whose module is costly to import (the snapshot decoder and the text ``ip`` output reader
need msgspec and the snapshot model) is listed in ``_DEFERRED`` with a cheap content test instead: its
module is imported only when a document passes that test, so a check of configuration files never
loads it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netblame.sources._base import Document, Source
from netblame.sources.loader import Loaded, load_paths

_MODULES: tuple[str, ...] = (
    "kubeadm",
    "componentconfig",
    "configmaps",
    "staticpods",
    "nodes",
    "describe_node",
    "cilium",
    "calico",
    "calico_manifest",
    "flannel",
    "antrea",
    "kube_router",
    "k3s",
    "distros",
    "juju",
    "microk8s",
    "helm",
    "kustomize",
    "helm_controller",
    "flannel_subnet_env",
    "flagtext",
    "dns",
)


def _has_schema(doc: Document) -> bool:
    return doc.json and isinstance(doc.data, dict) and "schema" in doc.data


def _first_non_mapping(doc: Document) -> bool:
    return doc.index == 0 and not isinstance(doc.data, dict)


@dataclass
class DeferredSource:
    """A source that stands for module ``module``'s source of kind ``kind`` and imports that module only
    when ``sniff`` (a test that every document the real source accepts passes) holds."""

    kind: str
    module: str
    sniff: Callable[[Document], bool]
    _real: Source | None = field(default=None, repr=False, compare=False)

    def source(self) -> Source:
        """The real source (its module imported on first use)."""
        if self._real is None:
            module: Any = importlib.import_module(f"netblame.sources.{self.module}")
            self._real = next(s for s in module.SOURCES if s.kind == self.kind)
        return self._real

    def accepts(self, doc: Document) -> bool:
        return self.sniff(doc) and self.source().accepts(doc)

    def read(self, doc: Document) -> Sequence[object]:
        return self.source().read(doc)


_DEFERRED: tuple[DeferredSource, ...] = (
    DeferredSource("netblame-snapshot", "snapshot", _has_schema),
    DeferredSource("iproute2-text", "iproute2_text", _first_non_mapping),
)


def builtin_sources() -> tuple[Source, ...]:
    """Every built-in source, most specific first."""
    out: list[Source] = []
    for name in _MODULES:
        module = importlib.import_module(f"netblame.sources.{name}")
        out.extend(module.SOURCES)
    out.extend(_DEFERRED)
    return tuple(out)


__all__ = ["Document", "Loaded", "Source", "builtin_sources", "load_paths"]
