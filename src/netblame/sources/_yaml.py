"""YAML loading that keeps line numbers, so every value can point back at its line.

Mappings load as :class:`LineDict` (a ``dict`` with ``line`` and per-key ``key_lines``), sequences as
:class:`LineList` (a ``list`` with ``line`` and per-item ``item_lines``). Everything else is plain.
"""

from __future__ import annotations

from typing import Any

import yaml

from netblame.errors import InputError


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence from YAML that knows its own line and each item's (1-based)."""

    line: int
    item_lines: list[int]


# libyaml's parser when PyYAML was built with it (Debian's and PyPI's wheels are): composing a large
# file is several times faster than with the pure-Python parser, and marks carry the same lines.
_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# An alias repeats a whole subtree; nine aliases of nine aliases (a "billion laughs" document of a few
# hundred bytes) stand for a billion values. Configuration files use a handful of aliases at most.
MAX_ALIAS_VALUES = 100_000


class _LineLoader(_Parser):  # type: ignore[misc]
    """A safe loader that builds LineDict/LineList."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise InputError("a mapping key is not a plain value", line=key_node.start_mark.line + 1) from None
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    try:
        return int(yaml.SafeLoader.construct_yaml_int(loader, node))
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise InputError(f"a number of {len(str(node.value))} characters; expected a value of normal size",
                         line=node.start_mark.line + 1) from None


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """A value YAML 1.1 would read as a date stays text: Kubernetes reads YAML as JSON, which has no
    dates, and ``2001-13-45`` would otherwise fail to load."""
    return str(node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _check_aliases(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than :data:`MAX_ALIAS_VALUES` repeated values.

    Each node's expanded size is counted once (memoised by identity), so this is linear in the
    document, however deep the aliases nest."""
    sizes: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        distinct += 1
        sizes[id(node)] = min(1 + sum(sizes[id(c)] for c in children), 2**62)
    if sizes[id(root)] - distinct > MAX_ALIAS_VALUES:
        raise InputError(f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} repeated values (an alias bomb); "
                         "expected a configuration file", line=root.start_mark.line + 1)


def load_yaml_documents(text: str, path: str) -> list[tuple[int, Any]]:
    """Every document in ``text`` as ``(first_line, data)``; raise :class:`InputError` with file and line."""
    docs: list[tuple[int, Any]] = []
    try:
        loader = _LineLoader(text)
        try:
            while loader.check_node():
                node = loader.get_node()
                if node is None:
                    continue
                _check_aliases(node)
                docs.append((node.start_mark.line + 1, loader.construct_document(node)))
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"not valid YAML: {problem}", file=path, line=line) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a control character such as ESC from a terminal paste).
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        raise InputError(f"not valid YAML: character 0x{char:02x} is not allowed (expected printable text; "
                         "a pasted terminal escape?)", file=path, line=text.count("\n", 0, exc.position) + 1) from None
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())
        raise InputError(f"not valid YAML: {reason}", file=path) from None
    except RecursionError:
        raise InputError("YAML nested too deeply to read; expected a configuration file", file=path) from None
    except InputError as exc:
        raise InputError(exc.message, file=path, line=exc.line) from None
    return docs
