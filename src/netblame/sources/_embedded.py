"""Documents embedded in a string of another document: the ``ClusterConfiguration`` YAML inside the
kubeadm-config ConfigMap, Flannel's ``net-conf.json`` inside kube-flannel-cfg.

When the outer file is YAML and the string is a block scalar (``key: |``), the embedded lines are
lines of the file: line n of the string is line ``key_line + n``, and the embedded document's line
numbers are shifted to match, so findings point into the file. Otherwise (JSON, which ``kubectl -o
json`` writes, or a quoted string), origins name the string and the line inside it.
"""

from __future__ import annotations

from typing import Any

from netblame.errors import InputError
from netblame.sources._base import Document
from netblame.sources._tree import Cursor
from netblame.sources._yaml import LineDict, LineList, load_yaml_documents


def block_offset(cursor: Cursor) -> int | None:
    """The offset from lines of the string at ``cursor`` to lines of the file, when every line of the
    string is, indentation aside, the file line at that offset; None when they cannot be matched."""
    doc, text = cursor.doc, cursor.value
    if doc.json or doc.container is not None or cursor.line is None or not isinstance(text, str):
        return None
    file_lines = doc.text.splitlines()
    inner = text.splitlines()
    start = cursor.line  # 0-based index of the line after the key
    if start + len(inner) > len(file_lines):
        return None
    if all(file_lines[start + i].strip() == line.strip() for i, line in enumerate(inner)):
        return cursor.line
    return None


def _shift(data: Any, offset: int) -> None:
    """Add ``offset`` to every line in ``data``, each node once: YAML aliases share nodes, and a
    document of nested aliases ("billion laughs") must not be walked once per reference."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if not isinstance(node, LineDict | LineList) or id(node) in seen:
            continue
        seen.add(id(node))
        node.line += offset
        if isinstance(node, LineDict):
            node.key_lines = {k: v + offset for k, v in node.key_lines.items()}
            stack.extend(node.values())
        else:
            node.item_lines = [n + offset for n in node.item_lines]
            stack.extend(node)


def container_error(cursor: Cursor, offset: int | None, exc: InputError) -> InputError:
    """``exc`` (raised with lines of the embedded string) re-pointed at the file."""
    if offset is not None:
        return InputError(f"{cursor.path}: {exc.message}", file=cursor.doc.path,
                          line=None if exc.line is None else exc.line + offset)
    inner = "" if exc.line is None else f", line {exc.line}"
    origin = cursor.origin()
    return InputError(f"{cursor.path}{inner}: {exc.message}", file=cursor.doc.path, line=origin.line)


def embedded_yaml(cursor: Cursor) -> list[Document]:
    """The YAML documents in the string at ``cursor``, with origins that point into the file."""
    text = cursor.value
    if not isinstance(text, str):
        raise cursor.error("a configuration document as text")
    offset = block_offset(cursor)
    try:
        parsed = load_yaml_documents(text, cursor.doc.path)
    except InputError as exc:
        raise container_error(cursor, offset, exc) from None
    container = None if offset is not None else cursor.path
    docs = []
    for index, (first, data) in enumerate(parsed):
        if offset is not None:
            _shift(data, offset)
        docs.append(Document(path=cursor.doc.path, text=cursor.doc.text if offset is not None else text, data=data,
                             line=first + (offset or 0), index=index, container=container))
    return docs
