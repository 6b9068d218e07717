"""Running netblame's command line in-process, as a user runs it: its exit code, standard output and
standard error (both captured as text; ``collect`` writes bytes to ``sys.stdout.buffer``, which works too)."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from typing import NamedTuple

from netblame.cli.main import main


class Ran(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Standard output, then standard error."""
        return self.stdout + self.stderr


def _stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode()  # type: ignore[attr-defined]


def invoke(*argv: str) -> Ran:
    """``invoke("check", "examples/pi-cluster")``: run ``netblame check examples/pi-cluster``."""
    out, err = _stream(), _stream()
    code: int | str | None = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as exited:
            code = exited.code
    assert isinstance(code, int | None), code
    return Ran(code or 0, _text(out), _text(err))
