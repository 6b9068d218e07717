"""JSON Patch (RFC 6902) as kustomize applies it to a resource (kustomize ``patchesJson6902`` and ``patches``
with an operation list; kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesjson6902/):
``add``, ``replace`` and ``remove`` at an RFC 6901 pointer (``/data/net-conf.json``; ``~1`` is ``/`` and ``~0``
is ``~`` in a key; ``-`` after an array's path appends), plus ``test``, ``copy`` and ``move``. A patch that
cannot be applied (an unknown ``op``, a path that does not resolve) raises :class:`PatchError` saying which
operation and why, as kustomize stops on it too.
"""

from __future__ import annotations

import copy
from typing import Any

from netblame.errors import shown


class PatchError(Exception):
    """An operation that cannot be applied; the message names it (``operation 2 (replace /a/b): ...``)."""


def _tokens(pointer: object) -> list[str]:
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise PatchError(f"path {shown(pointer)} is not a JSON pointer such as /data/key")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _index(container: list[Any], token: str, *, append: bool) -> int:
    if append and token == "-":
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise PatchError(f"{token} is not an index of a list of {len(container)}")
    index = int(token)
    if index > len(container) or (index == len(container) and not append):
        raise PatchError(f"index {index} is past the end of a list of {len(container)}")
    return index


def _parent(doc: Any, tokens: list[str]) -> Any:
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict):
            if token not in node:
                raise PatchError(f"{token} does not exist")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, append=False)]
        else:
            raise PatchError(f"{token} is not inside a mapping or list")
    return node


def _locate(doc: Any, tokens: list[str], *, adding: bool = False) -> tuple[Any, Any]:
    """The container and the key or index ``tokens`` point at (for ``add``, a new key or the place to insert)."""
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if not adding and last not in parent:
            raise PatchError(f"{last} does not exist")
        return parent, last
    if isinstance(parent, list):
        return parent, _index(parent, last, append=adding)
    raise PatchError(f"{last} is not inside a mapping or list")


def _get(doc: Any, pointer: object) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return doc
    parent, key = _locate(doc, tokens)
    return parent[key]


def _add(doc: Any, pointer: object, value: Any) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent, key = _locate(doc, tokens, adding=True)
    if isinstance(parent, list):
        parent.insert(key, value)
    else:
        parent[key] = value
    return doc


def _remove(doc: Any, pointer: object) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("the whole document cannot be removed")
    parent, key = _locate(doc, tokens)
    del parent[key]
    return doc


def _apply_one(doc: Any, op: dict[str, Any]) -> Any:
    kind, path = op.get("op"), op.get("path")
    if kind in ("add", "replace", "test") and "value" not in op:
        raise PatchError("it has no value")
    if kind == "add":
        return _add(doc, path, copy.deepcopy(op["value"]))
    if kind == "replace":
        tokens = _tokens(path)
        if not tokens:
            return copy.deepcopy(op["value"])
        parent, key = _locate(doc, tokens)
        parent[key] = copy.deepcopy(op["value"])
        return doc
    if kind == "remove":
        return _remove(doc, path)
    if kind == "test":
        if _get(doc, path) != op["value"]:
            raise PatchError("the value there is not the one the test expects")
        return doc
    if kind in ("copy", "move"):
        value = copy.deepcopy(_get(doc, op.get("from")))
        if kind == "move":
            doc = _remove(doc, op.get("from"))
        return _add(doc, path, value)
    raise PatchError(f"op {shown(kind)} is not one of add, remove, replace, move, copy, test")


def apply_patch(doc: Any, operations: object) -> Any:
    """``doc`` (left unchanged) with the RFC 6902 ``operations`` applied, in order."""
    if not isinstance(operations, list):
        raise PatchError("a JSON 6902 patch is a list of operations")
    out = copy.deepcopy(doc)
    for number, op in enumerate(operations, 1):
        if not isinstance(op, dict):
            raise PatchError(f"operation {number} is not a mapping with op and path")
        try:
            out = _apply_one(out, op)
        except PatchError as exc:
            what = " ".join(str(op[k]) if isinstance(op.get(k), str) else shown(op.get(k)) for k in ("op", "path"))
            raise PatchError(f"operation {number} ({what}): {exc}") from None
    return out
