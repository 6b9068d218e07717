"""``netblame --help`` and ``--version`` come from the command table without importing argparse, typing, re
or any command; ``--help`` of every command and subcommand works, exits 0 and lists every option."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netblame.cli.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, columns: int) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": str(columns)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout


@pytest.mark.parametrize("columns", [30, 60, 80, 81, 100, 160])
def test_top_help_fits_the_terminal_and_lists_every_command(columns: int) -> None:
    text = run("import sys; sys.argv = ['netblame', '--help']; from netblame.cli.entry import main; main()", columns)
    lines = text.splitlines()
    assert lines[0] == "Usage: netblame [OPTIONS] COMMAND [ARGS]..."
    assert max(len(line) for line in lines) <= max(min(columns, 100) - 2, 50)
    listed = [line.split()[0] for line in lines[lines.index("Commands:") + 1:] if line.startswith("  ") and
              not line.startswith("   ")]
    assert listed == sorted(COMMANDS)


# what `netblame --help` may load: the entry point, the command table and the help layout
HELP_MODULES = ("netblame.cli", "netblame.cli.entry", "netblame.cli.main", "netblame.cli.commands",
                "netblame.cli._help", "netblame.cli._usage", "netblame.exit_codes", "netblame.errors",
                "netblame.render", "netblame.render.terminal")


NOT_FOR_HELP = ("argparse", "typing", "re", "textwrap")


def test_help_imports_no_command_and_not_argparse() -> None:
    code = ("import sys; sys.argv = ['netblame', '--help']\n"
            "import atexit; atexit.register(lambda: print(sorted(m for m in sys.modules\n"
            f"    if m in {NOT_FOR_HELP!r} or m.startswith('netblame.') and m not in {HELP_MODULES!r})))\n"
            "from netblame.cli.entry import main; main()")
    before = run("import sys; print(sorted(sys.modules))", 80)  # what this interpreter loads anyway (site)
    loaded = [m for m in ast.literal_eval(run(code, 80).splitlines()[-1]) if m not in ast.literal_eval(before)]
    assert loaded == []


def test_version() -> None:
    from netblame import __version__

    text = run("import sys; sys.argv = ['netblame', '--version']; from netblame.cli.entry import main; main()", 80)
    assert text == f"netblame, version {__version__}\n"


def _every_command() -> list[list[str]]:
    import importlib

    found = []
    for name, (module, _) in sorted(COMMANDS.items()):
        found.append([name])
        command = importlib.import_module(module).COMMAND
        found += [[name, sub] for sub in sorted(command.subcommands)]
    return found


@pytest.mark.parametrize("argv", _every_command(), ids=" ".join)
def test_every_command_has_help(argv: list[str]) -> None:
    import importlib

    from netblame.cli.main import parser_of

    code = f"import sys; sys.argv = ['netblame', *{argv!r}, '--help']; from netblame.cli.entry import main; main()"
    text = run(code, 100)
    assert text.startswith(f"Usage: netblame {' '.join(argv)} [OPTIONS]")
    assert "Options:" in text and "-h, --help" in text
    command = importlib.import_module(COMMANDS[argv[0]][0]).COMMAND
    for sub in argv[1:]:
        command = command.subcommands[sub]
    parser = parser_of(command, "netblame")
    for label, _ in parser.rows:
        assert f"  {label}" in text, label
