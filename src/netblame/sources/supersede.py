"""Inputs read twice: a kustomization reads the resource files it patches with the patches applied, and says so
with a :class:`Supersedes` marker, so that the unpatched reading of those files is dropped. Kept apart from the
Kustomize reader so that assembling a check does not import it."""

from __future__ import annotations

from collections.abc import Sequence

from netblame._record import Record, record
from netblame.model.cluster import ClusterNetwork
from netblame.model.origin import Origin


@record
class Supersedes(Record):
    """Input files a kustomization read with patches applied: their unpatched reading is dropped."""

    paths: frozenset[str]


def _files(fragment: ClusterNetwork) -> set[str | None]:
    origins: list[Origin] = [c.origin for c in (*fragment.pod_cidrs, *fragment.service_cidrs)]
    for cni in fragment.cnis:
        origins += [cni.origin, *(p.origin for p in cni.pools)]
    origins += [v.origin for v in (fragment.node_mask_v4, fragment.node_mask_v6, fragment.dns_domain) if v]
    return {o.file for o in origins}


def without_superseded(fragments: Sequence[object]) -> list[object]:
    """``fragments`` without the :class:`Supersedes` markers and the cluster fragments read only from the files
    they name (a kustomization read them with its patches applied)."""
    gone = {p for f in fragments if isinstance(f, Supersedes) for p in f.paths}
    return [f for f in fragments if not isinstance(f, Supersedes)
            and not (gone and isinstance(f, ClusterNetwork) and (files := _files(f)) and files <= gone)]
