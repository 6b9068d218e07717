"""The ini dialect of systemd unit files and NetworkManager keyfiles: ``[Section]`` and ``Key=value``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame._record import Record, record
from netblame.model import dns as dns_model  # its record classes load on first use
from netblame.model.dns import Note
from netblame.model.origin import Origin

if TYPE_CHECKING:
    from netblame.model.dns import Entry


@record
class IniFile(Record):
    """Entries in file order, plus one note per line that is neither a section, a key nor a comment."""

    entries: tuple[Entry, ...]
    notes: tuple[Note, ...]
    headers: frozenset[str] = frozenset()

    @property
    def sections(self) -> frozenset[str]:
        """Names of the sections in the file (with or without keys)."""
        return self.headers | frozenset(e.section for e in self.entries)


def parse_ini(text: str, display: str) -> IniFile:
    """Parse ``text``; keys before any section get the section name ``""``."""
    entries: list[Entry] = []
    notes: list[Note] = []
    section = ""
    pending = ""
    pending_line = 0
    headers: set[str] = set()
    for count, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        number = count
        if pending:
            line = pending + " " + line
            number = pending_line
            pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending, pending_line = line[:-1].rstrip(), number
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            headers.add(section)
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            notes.append(Note(f"line is neither [Section] nor Key=value, skipped: {line[:60]!r}",
                              Origin(file=display, line=number)))
            continue
        entries.append(dns_model.Entry(section, key.strip(), value.strip(), Origin(file=display, line=number)))
    return IniFile(tuple(entries), tuple(notes), frozenset(headers))


def looks_like_ini(text: str) -> bool:
    """Content test: has at least one ``[Section]`` line and every other line is a key or a comment."""
    seen_section = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            seen_section = True
        elif "=" not in line and not line.endswith("\\"):
            return False
    return seen_section
