"""The type of a program's flag table and the helpers that build one from whitespace-separated names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from netblame._record import Record, record


@record
class FlagTable(Record):
    """The flags of one program: ``values`` take an argument, ``switches`` do not (booleans).

    ``complete`` says the table lists every flag, so any other name is unknown to the program; otherwise
    only a near miss of a listed flag (a likely misspelling) is reported. ``removed`` maps a flag the
    program no longer has to the release that removed it. ``word_sep``: the program reads ``_`` in a flag
    name as ``-`` (Kubernetes components set pflag's WordSepNormalizeFunc, so ``--log_dir`` is
    ``--log-dir``).
    """

    program: str
    values: frozenset[str]
    switches: frozenset[str]
    complete: bool = False
    removed: Mapping[str, str] = field(default_factory=dict)
    word_sep: bool = False

    def canonical(self, name: str) -> str:
        """``name`` as the program looks it up."""
        return name.replace("_", "-") if self.word_sep else name

    def known(self, name: str) -> bool:
        """True when ``name`` is a flag of this program."""
        name = self.canonical(name)
        return name in self.values or name in self.switches

    def is_switch(self, name: str) -> bool:
        """True when ``name`` is a flag of this program that takes no value."""
        return self.canonical(name) in self.switches

    def takes_value(self, name: str) -> bool:
        """True when ``name`` is a flag of this program that takes a value."""
        return self.canonical(name) in self.values

    def removed_in(self, name: str) -> str | None:
        """The release that removed flag ``name`` from the program, when it is known."""
        return self.removed.get(self.canonical(name))


def _table(program: str, values: str, switches: str, *, complete: bool = False,
           removed: Mapping[str, str] | None = None, word_sep: bool = False) -> FlagTable:
    return FlagTable(program, frozenset(values.split()), frozenset(switches.split()), complete,
                     dict(removed or {}), word_sep)


def _removed(**by_release: str) -> dict[str, str]:
    """``v1_24="a b"`` -> ``{"a": "v1.24", "b": "v1.24"}``."""
    return {flag: release.replace("_", ".") for release, flags in by_release.items() for flag in flags.split()}
