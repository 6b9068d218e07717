"""What a source is: something that recognises a document by its content and reads it into model
fragments. Sources do I/O only through :mod:`netblame.sources.loader`; they are handed text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from netblame._record import Record, record
from netblame.model.origin import Origin


def line_at(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that character ``offset`` is on (a regex match, a JSON error)."""
    return text.count("\n", 0, max(0, offset)) + 1


@record
class Document(Record):
    """One document of one input file.

    ``data`` is the parsed YAML/JSON document (mappings as ``LineDict`` for YAML, plain ``dict`` for
    JSON) or None when the file is not YAML/JSON (an ini file, resolv.conf, a lease). ``text`` is the
    whole file. ``line`` is the document's first line in the file; ``json`` tells which parser ran.

    A document may be embedded in another one (the ``ClusterConfiguration`` string inside the
    kubeadm-config ConfigMap). Its lines are then lines of the file when the outer file is YAML; when
    the outer file is JSON they cannot be, and ``container`` names the string the document came from
    (``data.ClusterConfiguration``) so that origins say "line 7 of data.ClusterConfiguration".
    """

    path: str
    text: str
    data: Any
    line: int = 1
    index: int = 0
    json: bool = False
    container: str | None = None

    def origin(self, line: int | None = None, obj: str | None = None) -> Origin:
        """An origin in this document (``line`` defaults to the document's first line)."""
        at = line if line is not None else self.line
        if self.container is not None:
            inner = f"{self.container}, line {at}"
            return Origin(file=self.path, object=f"{inner}: {obj}" if obj else inner)
        return Origin(file=self.path, line=at, object=obj)

    @property
    def kind(self) -> str | None:
        """The Kubernetes-style ``kind`` of a mapping document, if any."""
        data = self.data
        if isinstance(data, dict):
            kind = data.get("kind")
            return kind if isinstance(kind, str) else None
        return None

    @property
    def api_version(self) -> str | None:
        """The ``apiVersion`` of a mapping document, if any."""
        data = self.data
        if isinstance(data, dict):
            value = data.get("apiVersion")
            return value if isinstance(value, str) else None
        return None


@record
class ReadNote(Record):
    """What a source assumed to read an input (a missing ``apiVersion``, an elided line, values nested
    under an umbrella chart's subchart key). Sources return it among their fragments; the loader moves
    it into the input's record, so it shows in the report and in ``-o json`` (``inputs[].note``)."""

    message: str
    origin: Origin

    def __str__(self) -> str:
        where = f"line {self.origin.line}: " if self.origin.line is not None else ""
        return f"{where}{self.message}"


class Source(Protocol):
    """A reader for one input format, chosen by content, never by file name."""

    @property
    def kind(self) -> str:
        """Short name shown in the report's inputs list, e.g. ``kubeadm-cluster-configuration``."""
        ...

    def accepts(self, doc: Document) -> bool:
        """True when ``doc`` is this source's format."""
        ...

    def read(self, doc: Document) -> Sequence[object]:
        """Model fragments read from ``doc``; raise :class:`~netblame.errors.InputError` on bad values."""
        ...
