"""A netblame snapshot file: its decoding (straight into the typed structs, with the garbage collector
paused: a large snapshot allocates millions of small objects), and the source that recognises one among
``netblame check``'s inputs by its ``schema``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import msgspec

from netblame._gc import gc_paused
from netblame.errors import InputError
from netblame.model.snapshot import SNAPSHOT_SCHEMA, Snapshot
from netblame.sources._base import Document


def check_schema(schema: object, file: str, line: int | None = None) -> None:
    """Raise one clear InputError unless ``schema`` is the one this netblame reads."""
    if schema != SNAPSHOT_SCHEMA:
        raise InputError(f"schema is {schema!r}; this netblame reads {SNAPSHOT_SCHEMA!r} "
                         "(write it again with `netblame collect`, or use a netblame that reads that schema)",
                         file=file, line=line)


_DECODER = msgspec.json.Decoder(Snapshot)


class _Head(msgspec.Struct):
    schema: str | None = None


def decode_snapshot(data: bytes | str, source: str = "<snapshot>") -> Snapshot:
    """Decode a snapshot; a wrong schema or a bad field is one clear InputError."""
    with gc_paused():
        try:
            head = msgspec.json.decode(data, type=_Head)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InputError(f"not a netblame snapshot ({exc}); expected JSON with \"schema\": "
                             f"\"{SNAPSHOT_SCHEMA}\"", file=source) from None
        check_schema(head.schema, source)
        try:
            return _DECODER.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InputError(f"bad snapshot: {exc}", file=source) from None


def load_snapshot(path: str | Path) -> Snapshot:
    """Load a snapshot file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return decode_snapshot(data, str(path))


class SnapshotSource:
    """``netblame/snapshot/v1`` JSON (docs/snapshot-schema.md)."""

    kind = "netblame-snapshot"

    def accepts(self, doc: Document) -> bool:
        data = doc.data
        return doc.json and isinstance(data, dict) and str(data.get("schema", "")).startswith("netblame/snapshot/")

    def read(self, doc: Document) -> Sequence[object]:
        return [decode_snapshot(doc.text, doc.path)]


SOURCES = (SnapshotSource(),)
