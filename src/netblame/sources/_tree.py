"""Walking a parsed document while keeping track of where each value is.

A :class:`Cursor` is a value plus its place: the line it is on (YAML) or its object path such as
``spec.containers[0].command[3]`` (JSON, which has no line numbers). Sources read every value through
a cursor, so every value they produce carries an origin, and every bad value raises an
:class:`~netblame.errors.InputError` that names file, line and field.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from netblame._record import Record, record
from netblame.errors import InputError, shown
from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document
from netblame.sources._yaml import LineDict, LineList


@record
class Cursor(Record):
    """A value inside a document and where it is."""

    doc: Document
    value: Any
    path: str = ""
    line: int | None = None

    @classmethod
    def root(cls, doc: Document) -> Cursor:
        """The document's top-level value."""
        return cls(doc, doc.data, "", doc.line)

    def __getitem__(self, key: str) -> Cursor:
        """The value under ``key`` (a cursor on None when absent or when this is not a mapping)."""
        value = self.value
        path = f"{self.path}.{key}" if self.path else key
        if not isinstance(value, dict):
            return Cursor(self.doc, None, path, self.line)
        line = value.key_lines.get(key, self.line) if isinstance(value, LineDict) else self.line
        return Cursor(self.doc, value.get(key), path, line)

    def dig(self, dotted: str) -> Cursor:
        """``cursor.dig("a.b.c")`` is ``cursor["a"]["b"]["c"]``."""
        out = self
        for key in dotted.split("."):
            out = out[key]
        return out

    @property
    def missing(self) -> bool:
        """True when the value is absent (or null)."""
        return self.value is None

    def origin(self) -> Origin:
        """Where this value is: file and line for YAML, file and object path for JSON."""
        if self.doc.json and self.doc.container is None:
            return Origin(file=self.doc.path, object=self.path or None)
        return self.doc.origin(self.line)

    def default_origin(self, why: str) -> Origin:
        """The origin of a default that applies because this value is absent: the nearest place in
        the file, and ``why`` naming the setting and whose default it is."""
        return dataclasses.replace(self.origin(), default=why)

    def error(self, expected: str) -> InputError:
        """An InputError naming this value's place, its field and what was expected instead."""
        origin = self.origin()
        field = f"{self.path}: " if self.path else ""
        got = "" if self.value is None else f", got {_short(self.value)}"
        where = f" ({origin.object})" if origin.object and origin.object != self.path else ""
        return InputError(f"{field}expected {expected}{got}{where}", file=origin.file, line=origin.line)

    def mapping(self) -> Cursor:
        """This cursor, checked to hold a mapping (absent counts as empty)."""
        if self.value is None:
            return Cursor(self.doc, {}, self.path, self.line)
        if not isinstance(self.value, dict):
            raise self.error("a mapping")
        return self

    def items(self) -> list[Cursor]:
        """The items of a list (absent counts as empty), each with its own place."""
        value = self.value
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error("a list")
        lines = value.item_lines if isinstance(value, LineList) else None
        return [Cursor(self.doc, item, f"{self.path}[{i}]", lines[i] if lines else self.line)
                for i, item in enumerate(value)]

    def text(self) -> str | None:
        """A scalar as text (numbers and booleans as YAML writes them); None when absent or empty."""
        value = self.value
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float):
            return str(value)
        raise self.error("a single value")

    def sourced_text(self) -> Sourced[str] | None:
        """:meth:`text` with its origin."""
        text = self.text()
        return None if text is None else Sourced(text, self.origin())

    def integer(self, expected: str = "a whole number", *, low: int = 0,
                high: int | None = None) -> Sourced[int] | None:
        """An integer (given as a number or as text) within ``low..high``; None when absent or empty."""
        text = self.text()
        if text is None:
            return None
        if not _INTEGER.fullmatch(text):  # ASCII digits only: int() also takes "²" and 4,000-digit numbers
            raise self.error(expected)
        number = int(text, 10)
        if number < low or (high is not None and number > high):
            raise self.error(expected)
        return Sourced(number, self.origin())

    def boolean(self) -> Sourced[bool] | None:
        """A boolean (YAML true/false, or text Go's strconv.ParseBool accepts); None when absent."""
        value = self.value
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return Sourced(value, self.origin())
        parsed = parse_bool(str(value))
        if parsed is None:
            raise self.error("true or false")
        return Sourced(parsed, self.origin())

    def cidrs(self, what: str, *, family: Family | None = None, spaces: bool = False) -> tuple[Cidr, ...]:
        """CIDRs from a list, or from text separated by commas (and blanks when ``spaces``); () when absent."""
        value = self.value
        if value is None or value == "":
            return ()
        try:
            if isinstance(value, list):
                return tuple(parse_cidr(c.value, c.origin(), family=family, what=what) for c in self.items())
            if not isinstance(value, str):
                raise self.error(f"{what} such as 10.244.0.0/16")
            origin = self.origin()
            parts = re.split(r"[,\s]+" if spaces else r",", value.strip())
            return tuple(parse_cidr(p, origin, family=family, what=what) for p in parts if p.strip())
        except InputError as exc:
            if self.path and not exc.message.startswith(self.path):
                raise InputError(f"{self.path}: {exc.message}", file=exc.file, line=exc.line) from None
            raise


_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


def parse_bool(text: str) -> bool | None:
    """Go's strconv.ParseBool, which Kubernetes components use for flags: None when not a boolean."""
    if text in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if text in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    return None


def _short(value: Any) -> str:
    return shown(value)
