"""The entry point's exit codes: Ctrl-C is one line and 130; click's usage errors, --help and --version
keep their output and codes."""

from __future__ import annotations

from collections.abc import Callable

import click
import pytest

from netblame import __version__
from netblame.cli import main as entry

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture (conftest.py)


@click.command("interrupt")
def interrupt_cmd() -> None:
    raise KeyboardInterrupt


@click.command("ok")
def ok_cmd() -> None:
    click.echo("done")


@pytest.fixture
def test_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(entry.COMMANDS, "interrupt", (__name__, "interrupt_cmd", "Raise KeyboardInterrupt."))
    monkeypatch.setitem(entry.COMMANDS, "ok", (__name__, "ok_cmd", "Succeed."))


@pytest.mark.usefixtures("test_commands")
def test_ctrl_c_is_one_line_and_130(run_cli: RunCli) -> None:
    code, out, err = run_cli("interrupt")
    assert code == 130 and out == ""
    assert err.strip().splitlines() == ["netblame: interrupted"]


@pytest.mark.usefixtures("test_commands")
def test_a_command_that_returns_exits_0(run_cli: RunCli) -> None:
    assert run_cli("ok") == (0, "done\n", "")


@pytest.mark.parametrize("argv", [["--nonsense"], ["no-such-command"], ["trace", "a"]])
def test_usage_errors_keep_clicks_message_and_exit_2(run_cli: RunCli, argv: list[str]) -> None:
    code, out, err = run_cli(*argv)
    assert code == 2 and out == ""
    assert "Usage: netblame" in err and "Error: " in err


def test_help_and_version_exit_0(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0 and "Commands" in out and "trace" in out
    code, out, _ = run_cli("trace", "-h")
    assert code == 0 and "Usage: netblame trace" in out
    code, out, _ = run_cli("--version")
    assert code == 0 and __version__ in out
