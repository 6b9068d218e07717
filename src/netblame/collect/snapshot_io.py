"""Reading and writing snapshot files (``netblame/snapshot/v1``, docs/snapshot-schema.md).

Writing a regular file goes to a temporary file beside the target and is renamed into place, so a reader
never sees a half-written snapshot; a device or FIFO is written through, never replaced. Reading decodes
straight into the typed structs (msgspec), with the garbage collector paused: a large snapshot allocates
millions of small objects and CPython's collector would otherwise rescan them again and again.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from netblame._gc import gc_paused
from netblame._io import read_capped, write_output
from netblame.errors import InputError
from netblame.model.snapshot import SNAPSHOT_SCHEMA, Snapshot
from netblame.sources.snapshot import check_schema
from netblame.sources.snapshot_check import check_values

MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024  # as large as the JSON dumps `check` reads
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
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start}); expected a netblame snapshot (JSON)",
                             file=source) from None
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InputError(f"not a netblame snapshot ({exc}); expected JSON with \"schema\": "
                             f"\"{SNAPSHOT_SCHEMA}\"", file=source) from None
        check_schema(head.schema, source)
        try:
            snapshot = _DECODER.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InputError(f"bad snapshot: {exc}", file=source) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start}); expected a netblame snapshot (JSON)",
                             file=source) from None
        check_values(snapshot, source)
        return snapshot


def read_snapshot(path: str | Path) -> Snapshot:
    """Load a snapshot file (read with a cap: a device or pipe has no size to check first)."""
    def limit(head: bytes) -> int:  # refuse at once what cannot be JSON (/dev/urandom) rather than read 512 MiB of it
        if head.lstrip(b" \t\r\n")[:1] not in (b"{", b""):
            raise InputError(f"not a netblame snapshot (it does not start with '{{'); expected JSON with "
                             f"\"schema\": \"{SNAPSHOT_SCHEMA}\"", file=str(path))
        return MAX_SNAPSHOT_BYTES

    data = read_capped(Path(path), limit, str(path), "a netblame snapshot")
    return decode_snapshot(data, str(path))


def write_snapshot(snapshot: Snapshot, path: str | Path) -> None:
    """Write the snapshot (atomically when ``path`` is a regular file; see :func:`netblame._io.write_output`)."""
    write_output(encode_snapshot(snapshot), path)
