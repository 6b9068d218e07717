"""Reading inputs: walk files and directories, parse YAML/JSON once, let sources recognise content.

This is the only place in the file-reading path that touches the file system.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

import orjson

from netblame._io import display_path, read_capped
from netblame._record import Record, record
from netblame.errors import InputError
from netblame.findings import InputProblem, InputRecord, RunFailure, one_line
from netblame.model.origin import Origin
from netblame.sources._base import Document, ReadNote, Source, line_at
from netblame.sources._yaml import load_yaml_documents

# A cluster dump of 5,000 nodes in JSON is tens of MB; configuration files are a few KB. Text that
# is not JSON is parsed by a much slower YAML parser, so it gets a lower ceiling. Which ceiling
# applies is decided by the first bytes (content), not by the file name.
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_TEXT_BYTES = 4 * 1024 * 1024
STRUCTURED_SUFFIXES = {".yaml", ".yml", ".json"}


class UnsuitableInputError(InputError):
    """A file that is not text netblame reads at all (binary, empty): an error when named on the command
    line, a skipped file when met in a directory. One too large is a :class:`TooLargeError`, an error
    wherever it is met."""


@record
class Loaded(Record):
    """The result of reading inputs: model fragments, what was read or skipped, what could not be read,
    and the sources that raised (the run is incomplete)."""

    fragments: list[object] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    failures: list[RunFailure] = field(default_factory=list)


def _walk(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield Path(root) / name
    else:
        yield path


# A line people put in a pasted object to say "more here": ``...``, ``# ...``, ``[...]``, ``…`` (alone on
# the line, at any indentation). YAML reads ``...`` at the start of a line as a document end; indented,
# or in the other spellings, it is not YAML at all.
_ELISION = re.compile(r"^[ \t]*(?:\.\.\.|…|\[\.\.\.\]|\(\.\.\.\)|#[ \t]*(?:\.\.\.|…).*)[ \t]*$")


def _is_elision(line: str) -> bool:
    # ``...`` alone at the start of a line is YAML's document end marker, which YAML reads itself.
    return line.strip() != "..." or line[:1] in (" ", "\t") if _ELISION.match(line) else False


def _repaired(text: str) -> tuple[str, list[tuple[int, str]]]:
    """``text`` with elision lines blanked and ``...`` separators turned into ``---`` (line numbers kept),
    and a note for each line changed."""
    if "..." not in text and "\u2026" not in text:
        return text, []
    lines = text.split("\n")
    notes: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if _is_elision(line):
            notes.append((i + 1, f"`{line.strip()}` taken as an elision of the pasted text and passed over"))
            lines[i] = ""
        elif line.rstrip() == "...":
            # YAML's document end; a document may only follow it after `---`, which pastes leave out.
            following = next((n for n in lines[i + 1:] if n.strip() and not n.lstrip().startswith("#")), "---")
            if not following.startswith("---"):
                notes.append((i + 1, "`...` taken as the separator of two pasted documents (`---`)"))
                lines[i] = "---"
    return "\n".join(lines), notes


def parse_documents(text: str, path: str) -> list[Document]:
    """Split ``text`` into documents: one JSON value, or every YAML document with its first line."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            return [Document(path=path, text=text, data=orjson.loads(text), json=True)]
        except orjson.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", file=path, line=line_at(text, exc.pos)) from None
    try:
        loaded = load_yaml_documents(text, path)
    except InputError:
        cleaned, changed = _repaired(text)
        if not changed:
            raise
        loaded = load_yaml_documents(cleaned, path)  # still bad: the error names the real problem
    return [Document(path=path, text=text, data=data, line=line, index=i) for i, (line, data) in enumerate(loaded)]


# A line that starts a YAML document: ``---`` at the left margin, alone or before a comment or value.
_DOC_START = re.compile(r"^---(?=[ \t]|$)", re.M)


def salvage_documents(text: str, path: str) -> list[Document]:
    """The documents of a multi-document YAML file that parse alone, when the file as a whole does not.

    A paste or a published example often has one broken document among good ones (a mis-indented list
    in a bootstrap token); the others still say what the cluster is. Each ``---`` section is parsed on
    its own, padded so that its line numbers stay the file's."""
    starts = [0, *(m.start() for m in _DOC_START.finditer(text) if m.start() > 0)]
    if len(starts) < 2:
        return []
    loaded: list[tuple[int, Any]] = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        try:
            loaded += load_yaml_documents("\n" * text.count("\n", 0, begin) + text[begin:end], path)
        except InputError:
            continue
    return [Document(path=path, text=text, data=data, line=line, index=i) for i, (line, data) in enumerate(loaded)]


def elision_notes(text: str, path: str) -> list[ReadNote]:
    """Notes for the elision lines and separators that were read as such to read ``text``."""
    return [ReadNote(message, Origin(file=path, line=n)) for n, message in _repaired(text)[1]]


def _limit(head: bytes) -> int:
    """The size ceiling for a file starting with ``head``: the JSON one when it starts like JSON."""
    return MAX_JSON_BYTES if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else MAX_TEXT_BYTES


def read_text(path: Path, display: str) -> str:
    """Read a text input with the size and binary checks every input gets.

    The size is checked on what is read, not on ``stat``: a device or pipe reports no size. JSON dumps
    may be as large as :data:`MAX_JSON_BYTES`; anything else is parsed as YAML, which is far slower, and
    gets :data:`MAX_TEXT_BYTES`. Which applies is decided by the first bytes (content), not the name."""
    raw = read_capped(path, _limit, display, "a configuration file (YAML or text up to "
                      f"{MAX_TEXT_BYTES // 2**20} MiB) or a JSON dump (up to {MAX_JSON_BYTES // 2**20} MiB)")
    if b"\0" in raw[:8192]:
        raise UnsuitableInputError("binary file; expected text (YAML, JSON or a configuration file)", file=display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsuitableInputError(f"not UTF-8 text (byte {exc.start}); expected a text file", file=display,
                                   line=raw[: exc.start].count(b"\n") + 1) from None
    if not text.strip():
        raise UnsuitableInputError("file is empty; expected a configuration file", file=display)
    return text


def nearby_documents(base: str, relative: str) -> list[Document]:
    """The documents of the file ``relative`` names next to the input ``base`` (a kustomization's resource), read
    with the checks every input gets; InputError when it cannot be read."""
    path = Path(base).parent / relative
    display = display_path(path)
    return parse_documents(read_text(path, display), display)


def _special(path: Path) -> bool:
    """True for a pipe, socket or device: reading one met in a directory could wait forever. One named on
    the command line is read (``<(kubectl get nodes -o json)`` is a pipe)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False  # read_text says why it cannot be read


def _documents(text: str, display: str) -> tuple[list[Document], InputError | None]:
    """The file's documents, and why it is not valid YAML or JSON as a whole (then the documents are the
    ones that parse alone, or the whole text for the sources that read plain text)."""
    try:
        return parse_documents(text, display), None
    except InputError as exc:
        return salvage_documents(text, display) or [Document(path=display, text=text, data=None)], exc


def _read_file(path: Path, display: str, explicit: bool, sources: Sequence[Source], out: Loaded) -> None:
    if not explicit and _special(path):
        out.inputs.append(InputRecord(display, None, "not a regular file (a pipe, socket or device)"))
        return
    try:
        text = read_text(path, display)
    except UnsuitableInputError as exc:
        if explicit:
            out.errors.append(InputProblem(exc.message, exc.file, exc.line))
        else:
            out.inputs.append(InputRecord(display, None, exc.message))
        return
    except InputError as exc:
        out.errors.append(InputProblem(exc.message, exc.file, exc.line))
        return
    docs, parse_error = _documents(text, display)
    kinds: list[str] = []
    notes: list[ReadNote] = []
    failed = False
    for doc in docs:
        for source in sources:
            if not source.accepts(doc):
                continue
            try:
                fragments = source.read(doc)
            except InputError as exc:
                out.errors.append(InputProblem(exc.message, exc.file or display, exc.line))
                failed = True
            except Exception as exc:
                out.failures.append(RunFailure(f"{display} ({source.kind})", one_line(exc)))
                failed = True
            else:
                kinds.append(source.kind)
                notes += [f for f in fragments if isinstance(f, ReadNote)]
                out.fragments.extend(f for f in fragments if not isinstance(f, ReadNote))
    if kinds:
        if parse_error is None and any(d.data is not None and not d.json for d in docs):
            notes = elision_notes(text, display) + notes
        elif parse_error is not None and docs[0].data is not None:  # some documents were salvaged
            out.errors.append(InputProblem(f"{parse_error.message} (the file's other documents were read)",
                                           parse_error.file, parse_error.line))
        note = "; ".join(dict.fromkeys(str(n) for n in notes))
        out.inputs.append(InputRecord(display, ", ".join(dict.fromkeys(kinds)), note))
        return
    if failed:  # recognised, but its values are wrong: the error above says which
        return
    if parse_error is not None and (explicit or path.suffix in STRUCTURED_SUFFIXES):
        out.errors.append(InputProblem(parse_error.message, parse_error.file, parse_error.line))
    elif explicit:
        found = next((d.kind for d in docs if d.kind), None)
        what = f"kind {found!r}" if found else "content"
        out.errors.append(InputProblem(f"not a recognised input ({what}); expected one of: "
                                       f"{', '.join(sorted({s.kind for s in sources}))}", display))
    else:
        out.inputs.append(InputRecord(display, None, "not a recognised input"))


def load_paths(paths: Sequence[str], sources: Sequence[Source]) -> Loaded:
    """Read every file in ``paths`` (directories recursively) with every source that accepts it.

    One document may feed several sources (a KubeletConfiguration says both how many pods a node
    takes and where pods get their resolv.conf from), each producing its own model fragments.
    """
    out = Loaded()
    for given in paths:
        root = Path(given)
        if not root.exists():
            out.errors.append(InputProblem("no such file or directory", display_path(given)))
            continue
        explicit = not root.is_dir()
        for path in _walk(root):
            _read_file(path, display_path(path), explicit, sources, out)
    if paths and not out.errors and not out.failures and not any(i.kind for i in out.inputs):
        what = (f"none of the {len(out.inputs)} file(s) is an input netblame recognises" if out.inputs
                else "no files found")
        out.errors.append(InputProblem(f"nothing to check: {what}; expected configuration files such as a kubeadm "
                                       "config, Kubernetes objects, CNI settings or node network and DNS files"))
    return out
