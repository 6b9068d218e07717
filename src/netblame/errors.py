"""netblame's exceptions.

The tree::

    NetblameError                 root; never escapes the CLI as a traceback
    ├── InputError                a file, flag or dump that cannot be read as what it claims to be
    │                             (carries file and line where known)
    ├── UsageError                a call or command given arguments that cannot work (a bad flag value,
    │                             a rule selector that names no rule, options that do not go together)
    ├── CollectError              live state that could not be read (permissions, missing tools)
    └── LabError                  a lab that could not be built, faulted or torn down

Per-item failures while reading many inputs are kept as data (``InputProblem`` in a report),
so one broken file does not stop the others from being checked.
"""

from __future__ import annotations


class NetblameError(Exception):
    """Root of every error netblame raises on purpose."""


class InputError(NetblameError):
    """An input (file, flag, dump) that is not what it should be."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class UsageError(NetblameError):
    """Arguments that cannot work: the caller must change the call (the command line exits 2)."""


class CollectError(NetblameError):
    """Live state that could not be read."""


class LabError(NetblameError):
    """A lab operation that failed."""
