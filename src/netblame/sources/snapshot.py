"""A netblame snapshot file given to ``netblame check`` like any other input (recognised by its ``schema``)."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from netblame.errors import InputError
from netblame.model.snapshot import SNAPSHOT_SCHEMA, Snapshot
from netblame.sources._base import Document
from netblame.sources.snapshot_check import check_values


def check_schema(schema: object, file: str, line: int | None = None) -> None:
    """Raise one clear InputError unless ``schema`` is the one this netblame reads."""
    if schema != SNAPSHOT_SCHEMA:
        raise InputError(f"schema is {schema!r}; this netblame reads {SNAPSHOT_SCHEMA!r} "
                         "(write it again with `netblame collect`, or use a netblame that reads that schema)",
                         file=file, line=line)


class SnapshotSource:
    """``netblame/snapshot/v1`` JSON (docs/snapshot-schema.md)."""

    kind = "netblame-snapshot"

    def accepts(self, doc: Document) -> bool:
        data = doc.data
        return doc.json and isinstance(data, dict) and str(data.get("schema", "")).startswith("netblame/snapshot/")

    def read(self, doc: Document) -> Sequence[object]:
        check_schema(doc.data.get("schema"), doc.path, line=1)
        try:
            snapshot = msgspec.convert(doc.data, Snapshot)
        except msgspec.ValidationError as exc:
            raise InputError(f"bad snapshot: {exc}", file=doc.path) from None
        check_values(snapshot, doc.path)
        return [snapshot]


SOURCES = (SnapshotSource(),)
