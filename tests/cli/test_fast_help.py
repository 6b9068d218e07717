"""``netblame --help`` and ``--version`` come from the command table without importing click, and print
exactly what click prints, at any terminal width."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, columns: int) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout


@pytest.mark.parametrize("columns", [30, 60, 80, 81, 100, 160])
@pytest.mark.parametrize("flag", ["--help", "-h", "--version"])
def test_fast_path_prints_what_click_prints(flag: str, columns: int) -> None:
    fast = run(f"import sys; sys.argv = ['netblame', '{flag}']; from netblame.cli.entry import main; main()",
               columns)
    click = run(f"from netblame.cli.main import main; main(['{flag}'])", columns)
    assert fast == click


def test_help_imports_no_command_and_not_click() -> None:
    code = ("import sys; sys.argv = ['netblame', '--help']\n"
            "import atexit; atexit.register(lambda: print(sorted(m for m in sys.modules\n"
            "    if m == 'click' or m.startswith('netblame.') and m not in ('netblame.cli', 'netblame.cli.entry',\n"
            "                                                         'netblame.cli.commands'))))\n"
            "from netblame.cli.entry import main; main()")
    assert run(code, 80).splitlines()[-1] == "[]"
