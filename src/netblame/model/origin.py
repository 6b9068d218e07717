"""Where a value came from: a file and line, a command-line flag, a live object, or a default."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Generic, TypeVar

from netblame._record import Record

T = TypeVar("T")


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # made in bulk: see netblame._record
class Origin(Record):
    """The place a value was read from; also the location a finding points at.

    Exactly one of ``file``, ``flag``, ``object`` or ``default`` is normally set; ``line`` goes with
    ``file``, and ``object`` may refine a file (an item inside a ``kubectl get -o json`` list).
    """

    file: str | None = None
    line: int | None = None
    flag: str | None = None
    object: str | None = None
    default: str | None = None

    def __str__(self) -> str:
        if self.file is not None:
            text = self.file if self.line is None else f"{self.file}:{self.line}"
            notes = [n for n in (self.object, self.default and f"default: {self.default}") if n]
            return f"{text} ({'; '.join(notes)})" if notes else text
        if self.flag is not None:
            return f"flag {self.flag}"
        if self.object is not None:
            return self.object
        if self.default is not None:
            return f"default ({self.default})"
        return "unknown"

    def to_json(self) -> dict[str, builtins.object]:
        """The ``location`` object of the report schema."""
        out: dict[str, builtins.object] = {}
        if self.file is not None:
            out["file"] = self.file
            if self.line is not None:
                out["line"] = self.line
        if self.flag is not None:
            out["flag"] = self.flag
        if self.object is not None:
            out["object"] = self.object
        if self.default is not None:
            out["default"] = self.default
        return out


def flag(name: str) -> Origin:
    """Origin of a value given on the command line."""
    return Origin(flag=name)


def default(why: str) -> Origin:
    """Origin of a value nobody set: an upstream default, with its source."""
    return Origin(default=why)


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # made in bulk: see netblame._record
class Sourced(Record, Generic[T]):
    """A value together with where it came from."""

    value: T
    origin: Origin
