"""``netblame collect`` as a library call: live or imported namespaces -> one snapshot."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from typing import Any

import orjson

from netblame import __version__
from netblame.errors import CollectError, InputError
from netblame.lab.layout import prefix as lab_prefix
from netblame.lab.state import STATE_DIR
from netblame.live.group import group_lab, one_node
from netblame.live.live import Progress
from netblame.model.snapshot import Namespace, Node, Snapshot

LAB_STATE_DIR = str(STATE_DIR)


def read_lab_state(lab: str, state_dir: str = LAB_STATE_DIR) -> dict[str, Any] | None:
    """The lab's state file, or None when the lab left none."""
    path = Path(state_dir) / f"{lab}.json"
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputError(f"cannot read lab state: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("lab state is not a JSON object", file=str(path))
    return data


def _nodes(namespaces: list[Namespace], lab: str | None, node_name: str | None,
           state_dir: str) -> list[Node]:
    if lab is None:
        return [one_node(node_name or socket.gethostname(), namespaces)]
    nodes = group_lab(lab, read_lab_state(lab, state_dir), namespaces)
    if not nodes:
        raise CollectError(f"no namespaces of lab {lab!r} found (expected names starting with {lab_prefix(lab)}); "
                           "is it up? (`netblame lab status`)")
    return nodes


def collect_snapshot(*, lab: str | None = None, import_from: str | None = None, node_name: str | None = None,
                     workers: int = 4, progress: Progress | None = None,
                     state_dir: str = LAB_STATE_DIR) -> tuple[Snapshot, list[str]]:
    """Collect (live, or from an offline capture) into a snapshot; return it and machine-level problems."""
    errors: list[str] = []
    iproute2 = kernel = None
    if import_from is not None:
        from netblame.live.offline import import_dir

        namespaces = import_dir(import_from)
        source = f"import:{Path(import_from).name}"
    else:
        from netblame.live import live

        live.require_tools()
        only = None
        if lab is not None:
            prefix = lab_prefix(lab)
            only = lambda ref: bool(ref.name and ref.name.startswith(prefix))  # noqa: E731
        namespaces, errors = live.collect_namespaces(only=only, workers=workers, progress=progress)
        iproute2, kernel = live.versions()
        source = "live"
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    snapshot = Snapshot(created=created, source=source, tool_version=__version__, iproute2=iproute2,
                        kernel=kernel, nodes=tuple(_nodes(namespaces, lab, node_name, state_dir)))
    return snapshot, errors
