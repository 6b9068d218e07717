"""A netblame snapshot file: its decoding (straight into the typed structs, with the garbage collector
paused: a large snapshot allocates millions of small objects), and the source that recognises one among
``netblame check``'s inputs by its ``schema``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import msgspec

from netblame._gc import gc_paused
from netblame._io import read_capped
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


_DECODER = msgspec.json.Decoder(Snapshot)
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024  # as large as the JSON dumps `check` reads


class _Head(msgspec.Struct):
    schema: str | None = None


def decode_snapshot(data: bytes | str, source: str = "<snapshot>") -> Snapshot:
    """Decode a snapshot; a wrong schema, a bad field, text that is not UTF-8 or a value that is not an
    address where one belongs is one clear InputError."""
    with gc_paused():
        try:
            head = msgspec.json.decode(data, type=_Head)
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start}); expected a netblame snapshot (JSON)",
                             file=source) from None
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InputError(f"not a netblame snapshot ({exc}); expected JSON with \"schema\": "
                             f"\"{SNAPSHOT_SCHEMA}\"", file=source) from None
        check_schema(head.schema, source)
        try:
            snapshot = _DECODER.decode(data)
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start}); expected a netblame snapshot (JSON)",
                             file=source) from None
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InputError(f"bad snapshot: {exc}", file=source) from None
    check_values(snapshot, source)
    return snapshot


def load_snapshot(path: str | Path) -> Snapshot:
    """Load a snapshot file, read with a cap (a device or pipe has no size to check first)."""
    def limit(head: bytes) -> int:  # refuse at once what cannot be JSON (/dev/urandom) rather than read 512 MiB
        if head.lstrip(b" \t\r\n")[:1] not in (b"{", b""):
            raise InputError(f"not a netblame snapshot (it does not start with '{{'); expected JSON with "
                             f"\"schema\": \"{SNAPSHOT_SCHEMA}\"", file=str(path))
        return MAX_SNAPSHOT_BYTES

    return decode_snapshot(read_capped(Path(path), limit, str(path), "a netblame snapshot"), str(path))


class SnapshotSource:
    """``netblame/snapshot/v1`` JSON (docs/snapshot-schema.md)."""

    kind = "netblame-snapshot"

    def accepts(self, doc: Document) -> bool:
        data = doc.data
        return doc.json and isinstance(data, dict) and str(data.get("schema", "")).startswith("netblame/snapshot/")

    def read(self, doc: Document) -> Sequence[object]:
        return [decode_snapshot(doc.text, doc.path)]


SOURCES = (SnapshotSource(),)
