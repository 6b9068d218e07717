"""Kubernetes objects in documents: single objects and ``kind: List`` dumps, and a base for sources
that read one kind of object."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from netblame.sources._base import Document
from netblame.sources._tree import Cursor
from netblame.sources._yaml import LineList


def objects(doc: Document, kinds: frozenset[str] | None = None) -> Iterator[Cursor]:
    """Every Kubernetes object in a document (only those of ``kinds`` when given): the document
    itself, or each item of a ``kind: List`` (what ``kubectl get ... -o yaml|json`` prints for more
    than one object) or a typed ``*List``. Items of other kinds are passed over without building a
    cursor, so a 5,000-node List costs the other object sources next to nothing."""
    data = doc.data
    if not isinstance(data, dict):
        return
    kind = doc.kind
    items = data.get("items")
    if kind is not None and kind.endswith("List") and isinstance(items, list):
        lines = items.item_lines if isinstance(items, LineList) else None
        for i, item in enumerate(items):
            if kinds is None or (isinstance(item, dict) and str(item.get("kind")) in kinds):
                yield Cursor(doc, item, f"items[{i}]", lines[i] if lines else doc.line)
    elif kinds is None or kind in kinds:
        yield Cursor.root(doc)


def kind_of(obj: Cursor) -> str | None:
    """The ``kind`` of an object."""
    kind = obj.value.get("kind") if isinstance(obj.value, dict) else None
    return kind if isinstance(kind, str) else None


def api_group(obj: Cursor) -> str | None:
    """The API group of an object (``apps`` for ``apps/v1``, empty for ``v1``); None without apiVersion."""
    version = obj.value.get("apiVersion") if isinstance(obj.value, dict) else None
    if not isinstance(version, str):
        return None
    return version.split("/", 1)[0] if "/" in version else ""


def name_of(obj: Cursor) -> str | None:
    """``metadata.name`` of an object."""
    name = obj["metadata"]["name"].value
    return name if isinstance(name, str) else None


class ObjectSource:
    """A source for one kind of Kubernetes object, alone or inside a List.

    Subclasses set ``kind`` (what the report calls the input), ``object_kinds`` (the Kubernetes
    kinds they read) and implement :meth:`matches` and :meth:`read_object`.
    """

    kind = "kubernetes-object"
    object_kinds: frozenset[str] = frozenset()

    def matches(self, obj: Cursor) -> bool:
        """True when ``obj`` is this source's kind of object."""
        raise NotImplementedError

    def read_object(self, obj: Cursor) -> Sequence[object]:
        """Model fragments read from one object."""
        raise NotImplementedError

    def accepts(self, doc: Document) -> bool:
        """True when the document is, or lists, at least one matching object."""
        return any(self.matches(obj) for obj in objects(doc, self.object_kinds))

    def read(self, doc: Document) -> Sequence[object]:
        """Fragments from every matching object of the document."""
        return [fragment for obj in objects(doc, self.object_kinds) if self.matches(obj)
                for fragment in self.read_object(obj)]
