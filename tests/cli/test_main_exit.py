"""The entry point's exit codes: Ctrl-C is one line and 130; usage errors (the usage line, a hint and one
``Error:`` line, exit 2), --help and --version keep their output and codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from netblame import __version__
from netblame.cli import main as entry
from netblame.cli.parsing import Command, Namespace, Parser

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture (conftest.py)


def _interrupt(args: Namespace) -> None:
    raise KeyboardInterrupt


def _ok(args: Namespace) -> None:
    print("done")


def _no_arguments(parser: Parser) -> None:
    pass


COMMAND_INTERRUPT = Command("Raise KeyboardInterrupt.", _no_arguments, _interrupt)
COMMAND_OK = Command("Succeed.", _no_arguments, _ok)


@pytest.fixture
def test_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    for name, command in (("interrupt", COMMAND_INTERRUPT), ("ok", COMMAND_OK)):
        module = types.ModuleType(f"netblame_test_{name}")
        module.COMMAND = command  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setitem(entry.COMMANDS, name, (module.__name__, command.description))


@pytest.mark.usefixtures("test_commands")
def test_ctrl_c_is_one_line_and_130(run_cli: RunCli) -> None:
    code, out, err = run_cli("interrupt")
    assert code == 130 and out == ""
    assert err.strip().splitlines() == ["netblame: interrupted"]


@pytest.mark.usefixtures("test_commands")
def test_a_command_that_returns_exits_0(run_cli: RunCli) -> None:
    assert run_cli("ok") == (0, "done\n", "")


@pytest.mark.parametrize("argv", [["--nonsense"], ["no-such-command"], ["trace", "a"], ["trace", "a", "b", "--bad"],
                                  ["check", "--nodes", "x"], ["check", "--nodes"], ["dns", "nothing"],
                                  ["lab", "up", "--style", "nope"], ["map", "--trace", "a"]])
def test_usage_errors_keep_their_message_and_exit_2(run_cli: RunCli, argv: list[str]) -> None:
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert "Usage: netblame" in err and "Error: " in err
    assert len([line for line in err.splitlines() if line.startswith("Error: ")]) == 1


def test_help_and_version_exit_0(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0 and "Commands" in out and "trace" in out
    code, out, _ = run_cli("trace", "-h")
    assert code == 0 and "Usage: netblame trace" in out
    code, out, _ = run_cli("--version")
    assert code == 0 and __version__ in out


def test_a_value_that_starts_with_a_dash_is_the_options_value(run_cli: RunCli) -> None:
    """The word after an option that takes a value is that value, dash or not (``--name -x``)."""
    code, _, err = run_cli("explain", "--file", "-no-such-log")
    assert code == 2 and "-no-such-log: cannot read" in err
    code, _, err = run_cli("check", "--lab", "-x")
    assert code == 2 and "Error: give at least one file or directory" in err
