"""What each component takes on its command line, as a public interface: the flag tables (every flag of the
Kubernetes components' reference pages, k3s, RKE2, flanneld, cilium-agent and cilium-operator) and
the parser every reader of flags uses (:func:`parse_words` for an argv given as words)."""

from __future__ import annotations

from collections.abc import Sequence

from netblame.sources._base import Document
from netblame.sources._flags import NEAR_MISS, ParsedFlags, closest, parse_flags
from netblame.sources._flagtable import FlagTable
from netblame.sources._flagtables import TABLES
from netblame.sources._tree import Cursor


def parse_words(program: str, words: Sequence[str], path: str = "-", line: int = 1) -> ParsedFlags:
    """``program``'s flags from its arguments ``words`` (as the shell split them), all on ``line`` of ``path``."""
    doc = Document(path, " ".join(words), None)
    return parse_flags(program, [Cursor(doc, word, "", line) for word in words])


__all__ = ["NEAR_MISS", "TABLES", "FlagTable", "ParsedFlags", "closest", "parse_words"]
