"""Reading and writing snapshot files (``netblame/snapshot/v1``, docs/snapshot-schema.md).

Writing a regular file goes to a temporary file beside the target and is renamed into place, so a reader
never sees a half-written snapshot; a device or FIFO is written through, never replaced
(:func:`netblame._io.write_output`). Decoding is :func:`netblame.sources.snapshot.decode_snapshot`, the
one way a snapshot is read (also when ``netblame check`` meets one among its inputs).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from netblame._io import write_output
from netblame.model.snapshot import Snapshot

_ENCODER = msgspec.json.Encoder()


def encode_snapshot(snapshot: Snapshot) -> bytes:
    """The snapshot as JSON bytes (one line, newline-terminated)."""
    return _ENCODER.encode(snapshot) + b"\n"


def save_snapshot(snapshot: Snapshot, path: str | Path) -> None:
    """Write the snapshot (atomically when ``path`` is a regular file or a new path)."""
    write_output(encode_snapshot(snapshot), path)
