"""Snapshot files as library calls: load one (any netblame/snapshot/v1 file, decoded straight into the
typed model), save one (atomically: a reader never sees a half-written file), or encode one as JSON."""

from __future__ import annotations

from netblame.live.snapshot_io import encode_snapshot, save_snapshot
from netblame.sources.snapshot import load_snapshot

__all__ = ["encode_snapshot", "load_snapshot", "save_snapshot"]
