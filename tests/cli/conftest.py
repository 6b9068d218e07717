"""Running the CLI in-process: exit code, stdout and stderr, and never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from netblame.cli import main as entry

RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``run_cli("explain", "NB101")`` -> (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exited:
            entry.main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return int(exited.value.code or 0), out, err

    return run
