"""Helpers for source tests: read small input files the way `netblame check` does, and look at the result."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.model.merge import merge_cluster
from netblame.sources import DeferredSource, Loaded, builtin_sources, load_paths

Reader = Callable[..., Loaded]


def read_files(directory: Path, *, errors_ok: bool = False, **files: str) -> Loaded:
    """Write each file (``kubeadm__yaml`` is kubeadm.yaml; text dedented) and load them all."""
    paths = []
    for name, text in files.items():
        path = directory / name.replace("__", ".")
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        paths.append(str(path))
    loaded = load_paths(paths, builtin_sources())
    if not errors_ok:
        assert not loaded.errors, [str(e) for e in loaded.errors]
    return loaded


def cluster_of(loaded: Loaded) -> ClusterNetwork:
    """The merged cluster model of everything read (other readers' fragments, such as DNS, left aside)."""
    return merge_cluster([f for f in loaded.fragments if isinstance(f, ClusterNetwork)])


def only_cni(loaded: Loaded) -> CniConfig:
    """The single CNI configuration read."""
    cnis = list(cluster_of(loaded).cnis)
    assert len(cnis) == 1, cnis
    return cnis[0]


# The modules of the cluster sources; other sources (node DNS) may read the same files too.
CLUSTER_MODULES = ("kubeadm", "componentconfig", "configmaps", "staticpods", "nodes", "cilium", "calico",
                   "calico_manifest", "flannel", "k3s", "distros", "juju", "microk8s", "flagtext", "_subchart", "helm",
                   "kustomize", "describe_node", "flannel_subnet_env", "antrea", "kube_router")
CLUSTER_KINDS = frozenset(s.kind for s in builtin_sources()
                          if (s.module if isinstance(s, DeferredSource) else s.__module__.rsplit(".", 1)[-1])
                          in CLUSTER_MODULES)


def cluster_kinds(kind: str | None) -> str | None:
    """The cluster-source kinds of an input record's ``kind`` (comma-separated), in order."""
    found = [k for k in (kind or "").split(", ") if k in CLUSTER_KINDS]
    return ", ".join(found) or None


def kinds(loaded: Loaded) -> dict[str, str | None]:
    """File name -> what the cluster sources recognised it as."""
    return {Path(i.path).name: cluster_kinds(i.kind) for i in loaded.inputs}
