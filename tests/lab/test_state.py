"""The lab state file: a damaged one is a LabError naming the file (so ``lab down`` still cleans up by name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netblame.errors import LabError
from netblame.lab import state


@pytest.mark.parametrize("text", ['{"schema": ', '{"name": 3}', "not json"])
def test_a_damaged_state_file_is_a_lab_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(state, "STATE_DIR", tmp_path)
    (tmp_path / "zz.json").write_text(text)
    with pytest.raises(LabError, match="not a netblame lab state file") as err:
        state.load("zz")
    assert str(tmp_path / "zz.json") in str(err.value)
