"""A netblame snapshot file given to ``netblame check`` like any other input (recognised by its ``schema``)."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from netblame.errors import InputError
from netblame.model.snapshot import SNAPSHOT_SCHEMA, Snapshot
from netblame.sources._base import Document


class SnapshotSource:
    """``netblame/snapshot/v1`` JSON (docs/snapshot-schema.md)."""

    kind = "netblame-snapshot"

    def accepts(self, doc: Document) -> bool:
        data = doc.data
        return doc.json and isinstance(data, dict) and str(data.get("schema", "")).startswith("netblame/snapshot/")

    def read(self, doc: Document) -> Sequence[object]:
        schema = doc.data.get("schema")
        if schema != SNAPSHOT_SCHEMA:
            raise InputError(f"schema is {schema!r}; this netblame reads {SNAPSHOT_SCHEMA!r}", file=doc.path, line=1)
        try:
            return [msgspec.convert(doc.data, Snapshot)]
        except msgspec.ValidationError as exc:
            raise InputError(f"bad snapshot: {exc}", file=doc.path) from None


SOURCES = (SnapshotSource(),)
