"""The ``netblame`` program (the console script and ``python -m netblame``).

It runs as a process of its own, which lets it make two process-wide choices that a library must not make
for its caller (the command line called in-process, ``netblame.cli.main.main``, as the tests do, makes
neither):

- the cyclic garbage collector stays off. A command is short-lived and its data are trees of immutable
  records without cycles; the collector only rescanned the objects every import creates, over and over.
- once the command is done, the process ends straight away: the exit handlers run and both output streams
  are flushed, as at a normal exit, but the interpreter does not then tear down every module and object one
  by one.

Together they took about a fifth of a small ``check`` (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

TYPE_CHECKING = False  # as in netblame/__init__.py: typing is not imported for --help
if TYPE_CHECKING:
    from typing import NoReturn

_BROKEN_PIPE = 120  # what CPython exits with when flushing standard output fails at exit


def main() -> NoReturn:
    """Run ``netblame`` with ``sys.argv``, then end the process with the command's exit code."""
    gc.disable()
    from netblame.cli.main import main as run

    try:
        run()
    except SystemExit as done:
        _end(done.code)
    _end(0)  # run() always exits; kept for type checkers


def _end(code: object) -> NoReturn:
    if isinstance(code, int):
        status = code
    elif code is None:
        status = 0
    else:  # sys.exit("message"), as the interpreter handles it
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # what a normal exit runs first
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``netblame check | head -1``) or a closed stream
            status = status or _BROKEN_PIPE
    os._exit(status)
