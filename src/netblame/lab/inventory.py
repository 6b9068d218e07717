"""Which labs exist on this machine: from their state files, and from namespaces named like a lab's
(``nb-<lab>-...``), so a lab half torn down (a state file without namespaces, or namespaces without a
state file after a crashed ``up``) is listed too and can be removed with ``netblame lab down``."""

from __future__ import annotations

import msgspec

from netblame.lab import _run
from netblame.lab.layout import NAME_RE, PREFIX
from netblame.lab.state import STATE_DIR, LabState


class LabEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One lab as found on this machine."""

    name: str
    state: str
    """``up`` (state file and namespaces), ``no namespaces`` or ``no state file`` (half torn down), or
    ``unreadable state file``."""
    namespaces: int
    style: str | None = None
    nodes: int | None = None


def list_labs() -> list[LabEntry]:
    """Every lab with a state file or a namespace, sorted by name."""
    counts: dict[str, int] = {}
    for namespace in _run.namespaces_with_prefix(PREFIX):
        name = namespace[len(PREFIX):].partition("-")[0]
        if NAME_RE.match(name):
            counts[name] = counts.get(name, 0) + 1
    states: dict[str, LabState | None] = {}
    try:
        files = sorted(STATE_DIR.glob("*.json"))
    except OSError:
        files = []
    for path in files:
        if not NAME_RE.match(path.stem):
            continue
        try:
            states[path.stem] = msgspec.json.decode(path.read_bytes(), type=LabState)
        except (OSError, msgspec.DecodeError):
            states[path.stem] = None
    out = []
    for name in sorted(set(counts) | set(states)):
        count = counts.get(name, 0)
        if name not in states:
            out.append(LabEntry(name=name, state="no state file", namespaces=count))
            continue
        state = states[name]
        if state is None:
            out.append(LabEntry(name=name, state="unreadable state file", namespaces=count))
            continue
        out.append(LabEntry(name=name, state="up" if count else "no namespaces", namespaces=count,
                            style=state.style, nodes=len(state.nodes)))
    return out
