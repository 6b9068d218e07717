"""Fixtures for source tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from source_helpers import Reader, read_files

from netblame.sources import Loaded


@pytest.fixture
def read(tmp_path: Path) -> Reader:
    """``read(name=text, ...)``: write the files into a fresh directory and load them."""
    counter = iter(range(1000))

    def _read(*, errors_ok: bool = False, **files: str) -> Loaded:
        directory = tmp_path / f"run{next(counter)}"
        directory.mkdir()
        return read_files(directory, errors_ok=errors_ok, **files)

    return _read
