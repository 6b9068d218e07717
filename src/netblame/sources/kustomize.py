"""Kustomize: a ``kustomization.yaml`` (``kind: Kustomization``, kustomize.config.k8s.io) carries inputs
inside it — strategic-merge patches written inline (``patches[].patch``, ``patchesStrategicMerge`` items
that are YAML rather than file names) and Helm charts with their values (``helmCharts[].valuesInline`` of
the cilium, flannel or tigera-operator chart) (kubectl.docs.kubernetes.io/references/kustomize/
kustomization/). Each is read by the reader of what it is, with lines of the kustomization file, and a
note says where it came from. A patch file given on its own is read as the object it is.

JSON 6902 patches (``patchesJson6902``, and ``patches`` whose patch is a list of operations, inline or in a
file) are applied the way kustomize applies them (:mod:`netblame.sources._jsonpatch`) to their target (``kind``,
``name``, ``namespace``) in the kustomization's local ``resources`` files, and the patched object is read by the
reader of what it is. Its values then point at the kustomization file and the object path inside the patched
object, a note names the resource and the patch, and the resource file's own unpatched reading is dropped
(:class:`Supersedes`). A patch whose target is not in a local resource (a URL, a directory), or that cannot be
applied, is one note naming the patch and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import Any

from netblame.errors import InputError
from netblame.model.cluster import as_cluster
from netblame.sources._base import Document, ReadNote
from netblame.sources._embedded import embedded_yaml
from netblame.sources._jsonpatch import PatchError, apply_patch
from netblame.sources._subchart import SUBCHART_KEYS
from netblame.sources._tree import Cursor
from netblame.sources.helm import CHART_READERS
from netblame.sources.loader import nearby_documents
from netblame.sources.supersede import Supersedes


def _is_kustomization(doc: Document) -> bool:
    return doc.kind == "Kustomization" and (doc.api_version or "kustomize.config.k8s.io/").startswith(
        "kustomize.config.k8s.io/")


def _plain(data: Any) -> Any:
    """Parsed YAML as plain dicts and lists (a patched object has no lines of its own)."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _operations(doc: Document, item: Cursor) -> tuple[Any, str] | None:
    """An item's JSON 6902 operations (inline ``patch``, or the file at ``path``) and where they were written;
    None when the item is a strategic-merge patch."""
    patch = item["patch"]
    if isinstance(patch.value, str):
        inner = embedded_yaml(patch)
        data = inner[0].data if len(inner) == 1 else None
        return (_plain(data), f"`{patch.path}`") if isinstance(data, list) else None
    relative = item["path"].text()
    if relative is None:
        return None
    try:
        docs = nearby_documents(doc.path, relative)
    except InputError as exc:
        raise PatchError(f"its file {relative}: {exc.message}") from None
    data = docs[0].data if len(docs) == 1 else None
    return (_plain(data), f"`{item.path}` ({relative})") if isinstance(data, list) else None


def _json6902(doc: Document, root: Cursor) -> Iterator[tuple[Cursor, Any, str]]:
    """Each JSON 6902 patch: its item (with ``target``), its operations and where they were written."""
    for item in [*root["patchesJson6902"].items(), *root["patches"].items()]:
        if not isinstance(item.value, dict):
            continue
        try:
            found = _operations(doc, item)
        except PatchError as exc:
            yield item, exc, f"`{item.path}`"
            continue
        if found is not None:
            yield item, found[0], found[1]


def _resources(doc: Document, root: Cursor) -> Iterator[Document]:
    """The documents of the kustomization's local resource files (URLs and directories are not read)."""
    for entry in root["resources"].items() + root["bases"].items():
        name = entry.text()
        if not name or "://" in name or name.startswith("github.com/") or not PurePath(name).suffix:
            continue
        try:
            yield from nearby_documents(doc.path, name)
        except InputError:
            continue


def _matches(target: Cursor, obj: Document) -> bool:
    """Whether ``obj`` is a patch target: kind, name and namespace are anchored regular expressions
    (kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/), group and version its apiVersion."""
    data = obj.data
    if not isinstance(data, dict) or not target["kind"].text():
        return False
    found = data.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    group, _, version = str(data.get("apiVersion", "")).rpartition("/")
    have = {"kind": data.get("kind"), "name": metadata.get("name"), "namespace": metadata.get("namespace"),
            "group": group, "version": version}
    for key, value in have.items():
        wanted = target[key].text()
        if wanted is None:
            continue
        try:
            if not re.fullmatch(wanted, str(value or "")):
                return False
        except re.error:
            if wanted != value:
                return False
    return True


def _apply_json6902(doc: Document, root: Cursor, others: Sequence[object]) -> list[object]:
    out: list[object] = []
    resources = list(_resources(doc, root)) if root["patchesJson6902"].value or root["patches"].value else []
    patched: set[str] = set()
    for item, operations, where in _json6902(doc, root):
        at = item.origin()
        if isinstance(operations, PatchError):  # its file cannot be read: which kind of patch it is is unknown
            out.append(ReadNote(f"patch {where} not applied: {operations}", at))
            continue
        target = item["target"]
        found = [r for r in resources if _matches(target, r)]
        if not found:
            what = " ".join(t for t in (target["kind"].text(), target["name"].text()) if t) or "its target"
            out.append(ReadNote(f"JSON 6902 patch {where} not applied: {what} is in no local resource file of this "
                                "kustomization", at))
            continue
        for resource in found:
            try:
                data = apply_patch(_plain(resource.data), operations)
            except PatchError as exc:
                out.append(ReadNote(f"JSON 6902 patch {where} not applied to {resource.path}: {exc}", at))
                continue
            inner = Document(path=doc.path, text=doc.text, data=data, json=True)
            read = [f for s in others if s.accepts(inner) for f in s.read(inner)]  # type: ignore[attr-defined]
            out.extend(read)
            patched.add(resource.path)
            out.append(ReadNote(f"{resource.path} read with JSON 6902 patch {where} applied (values point at the "
                                "patched object)", at))
    if patched:
        out.append(Supersedes(frozenset(patched)))
    return out


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
        return (bool(_inline_patches(root) or root["patchesJson6902"].value)
                or any(isinstance(p, dict) and "path" in p for p in root["patches"].value or [])
                or any(c.get("name") in names for c in charts))

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
        out += _apply_json6902(doc, root, others)
        for patch in _inline_patches(root):
            read_any = False
            inner_docs = embedded_yaml(patch)
            if len(inner_docs) == 1 and isinstance(inner_docs[0].data, list):
                continue  # a JSON 6902 patch, applied above
            for inner in inner_docs:
                if isinstance(inner.data, list):
                    continue
                for source in others:
                    if source.accepts(inner):
                        out.extend(source.read(inner))
                        read_any = True
            out.append(_note(patch, "an inline patch" if read_any else "an inline patch netblame does not read "
                                    "(an object of another kind)"))
        return out


def _note(cursor: Cursor, what: str) -> ReadNote:
    return ReadNote(f"{what} read from `{cursor.path}` of this kustomization, with its lines", cursor.origin())


SOURCES = (KustomizationSource(),)
