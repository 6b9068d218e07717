"""Reading and writing snapshot files (``netblame/snapshot/v1``, docs/snapshot-schema.md).

Writing goes to a temporary file beside the target and is renamed into place, so a reader never sees a
half-written snapshot. Reading decodes straight into the typed structs (msgspec), with the garbage
collector paused: a large snapshot allocates millions of small objects and CPython's collector would
otherwise rescan them again and again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import msgspec

from netblame._gc import gc_paused
from netblame.errors import InputError
from netblame.model.snapshot import SNAPSHOT_SCHEMA, Snapshot
from netblame.sources.snapshot import check_schema

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Snapshot)


class _Head(msgspec.Struct):
    schema: str | None = None


def encode_snapshot(snapshot: Snapshot) -> bytes:
    """The snapshot as JSON bytes (one line, newline-terminated)."""
    return _ENCODER.encode(snapshot) + b"\n"


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


def read_snapshot(path: str | Path) -> Snapshot:
    """Load a snapshot file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return decode_snapshot(data, str(path))


def write_snapshot(snapshot: Snapshot, path: str | Path) -> None:
    """Write atomically: a temporary file in the same directory, then a rename."""
    target = Path(path)
    data = encode_snapshot(snapshot)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
