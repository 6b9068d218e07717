"""Reading and writing snapshot files (``netblame/snapshot/v1``, docs/snapshot-schema.md).

Writing goes to a temporary file beside the target and is renamed into place, so a reader never sees a
half-written snapshot. Decoding is :func:`netblame.sources.snapshot.decode_snapshot`, the one way a
snapshot is read (also when ``netblame check`` meets one among its inputs).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import msgspec

from netblame.errors import InputError
from netblame.model.snapshot import Snapshot

_ENCODER = msgspec.json.Encoder()


def encode_snapshot(snapshot: Snapshot) -> bytes:
    """The snapshot as JSON bytes (one line, newline-terminated)."""
    return _ENCODER.encode(snapshot) + b"\n"


def save_snapshot(snapshot: Snapshot, path: str | Path) -> None:
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
