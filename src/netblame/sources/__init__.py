"""Sources: readers that recognise inputs by content and turn them into model fragments.

Each source module defines ``SOURCES: tuple[Source, ...]``; :func:`builtin_sources` collects them
in the order of ``_MODULES``. Every source that accepts a document reads it.
"""

from __future__ import annotations

import importlib

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
    "k3s",
    "distros",
    "helm",
    "kustomize",
    "helm_controller",
    "flannel_subnet_env",
    "flagtext",
    "dns",
    "snapshot",
    "iproute2_text",
)


def builtin_sources() -> tuple[Source, ...]:
    """Every built-in source, most specific first."""
    out: list[Source] = []
    for name in _MODULES:
        module = importlib.import_module(f"netblame.sources.{name}")
        out.extend(module.SOURCES)
    return tuple(out)


__all__ = ["Document", "Loaded", "Source", "builtin_sources", "load_paths"]
