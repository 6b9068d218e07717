"""Helpers for source tests: write small input files and read them the way `netblame check` does."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.model.merge import merge_cluster
from netblame.sources import Loaded, builtin_sources, load_paths

Reader = Callable[..., Loaded]


@pytest.fixture
def read(tmp_path: Path) -> Reader:
    """``read(name=text, ...)``: write each file (text dedented) and load them all; no errors allowed
    unless ``errors_ok=True``."""

    def _read(*, errors_ok: bool = False, **files: str) -> Loaded:
        for name, text in files.items():
            (tmp_path / name.replace("__", ".")).write_text(textwrap.dedent(text).lstrip("\n"))
        loaded = load_paths([str(tmp_path / n.replace("__", ".")) for n in files], builtin_sources())
        if not errors_ok:
            assert not loaded.errors, [str(e) for e in loaded.errors]
        return loaded

    return _read


def cluster_of(loaded: Loaded) -> ClusterNetwork:
    """The merged cluster model of everything read."""
    assert all(isinstance(f, ClusterNetwork) for f in loaded.fragments)
    return merge_cluster([f for f in loaded.fragments if isinstance(f, ClusterNetwork)])


def only_cni(loaded: Loaded) -> CniConfig:
    """The single CNI configuration read."""
    cnis = list(cluster_of(loaded).cnis)
    assert len(cnis) == 1, cnis
    return cnis[0]


def kinds(loaded: Loaded) -> dict[str, str | None]:
    """File name -> what it was recognised as."""
    return {Path(i.path).name: i.kind for i in loaded.inputs}
