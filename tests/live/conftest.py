"""Fixtures for collector tests: a real mini lab (root only), built once per module and always removed."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from minilab import MiniLab, minilab


@pytest.fixture(scope="module")
def lab() -> Iterator[MiniLab]:
    if os.geteuid() != 0:
        pytest.skip("needs root to build network namespaces")
    with minilab() as built:
        yield built
