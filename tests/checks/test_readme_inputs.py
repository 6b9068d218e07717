"""README's table of recognised inputs names every reader's kind, and its example links lead to files."""

from __future__ import annotations

import re
from pathlib import Path

from netblame.sources import builtin_sources

ROOT = Path(__file__).resolve().parents[2]


def _table() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## What netblame reads", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_every_kind_has_a_row() -> None:
    listed = {kind for row in _table() for kind in re.findall(r"`([a-z0-9-]+)`", row.split("|")[1])}
    assert {s.kind for s in builtin_sources()} <= listed


def test_example_links_exist() -> None:
    for row in _table():
        for target in re.findall(r"\]\(([^)#]+)", row.split("|")[-2]):
            assert (ROOT / target).exists(), target
