"""Kustomize: a ``kustomization.yaml`` (``kind: Kustomization``, kustomize.config.k8s.io) carries inputs
inside it — strategic-merge patches written inline (``patches[].patch``, ``patchesStrategicMerge`` items
that are YAML rather than file names) and Helm charts with their values (``helmCharts[].valuesInline`` of
the cilium, flannel or tigera-operator chart) (kubectl.docs.kubernetes.io/references/kustomize/
kustomization/). Each is read by the reader of what it is, with lines of the kustomization file, and a
note says where it came from. A patch file given on its own is read as the object it is; JSON 6902
patches (lists of operations) are passed over with a note.
"""

from __future__ import annotations

from collections.abc import Sequence

from netblame.model.cluster import as_cluster
from netblame.sources._base import Document, ReadNote
from netblame.sources._embedded import embedded_yaml
from netblame.sources._subchart import SUBCHART_KEYS
from netblame.sources._tree import Cursor
from netblame.sources.helm import CHART_READERS


def _is_kustomization(doc: Document) -> bool:
    return doc.kind == "Kustomization" and (doc.api_version or "kustomize.config.k8s.io/").startswith(
        "kustomize.config.k8s.io/")


def _inline_patches(root: Cursor) -> list[Cursor]:
    patches = [item["patch"] for item in root["patches"].items() if isinstance(item["patch"].value, str)]
    patches += [item for item in root["patchesStrategicMerge"].items()
                if isinstance(item.value, str) and "\n" in item.value]
    return patches


class KustomizationSource:
    """``kind: Kustomization`` with inline patches or Helm chart values."""

    kind = "kustomization"

    def accepts(self, doc: Document) -> bool:
        if not _is_kustomization(doc):
            return False
        root = Cursor.root(doc)
        charts = [c for c in root["helmCharts"].value or [] if isinstance(c, dict)]
        names = {n for keys in SUBCHART_KEYS.values() for n in keys}
        return bool(_inline_patches(root)) or any(c.get("name") in names for c in charts)

    def read(self, doc: Document) -> Sequence[object]:
        from netblame.sources import builtin_sources  # the registry lists this module: import when reading

        root = Cursor.root(doc)
        out: list[object] = []
        for chart in root["helmCharts"].items():
            name = chart["name"].text()
            found = next((c for c, keys in SUBCHART_KEYS.items() if name in keys), None)
            if found is not None:
                label, reader = CHART_READERS[found]
                values = chart["valuesInline"]
                out += [as_cluster(reader(values)), _note(values, f"{label} Helm values")]
        others = [s for s in builtin_sources() if s.kind != self.kind]
        for patch in _inline_patches(root):
            read_any = False
            for inner in embedded_yaml(patch):
                if isinstance(inner.data, list):
                    continue  # a JSON 6902 patch: operations, not an object
                for source in others:
                    if source.accepts(inner):
                        out.extend(source.read(inner))
                        read_any = True
            out.append(_note(patch, "an inline patch" if read_any else "an inline patch netblame does not read "
                                    "(a JSON 6902 operation list, or an object of another kind)"))
        return out


def _note(cursor: Cursor, what: str) -> ReadNote:
    return ReadNote(f"{what} read from `{cursor.path}` of this kustomization, with its lines", cursor.origin())


SOURCES = (KustomizationSource(),)
