"""Shared fixtures: where the shared corpus lives, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "upstream"


@pytest.fixture
def corpus() -> Path:
    """The upstream corpus beside the project (../shared); skip where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"upstream corpus not found at {CORPUS} (shared/ is laid beside the project in CI)")
    return CORPUS
