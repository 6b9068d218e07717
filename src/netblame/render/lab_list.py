"""``lab list``: one line per lab on this machine, or the list as JSON."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from netblame.lab.inventory import LabEntry


def render_json(labs: Sequence[LabEntry]) -> str:
    """``{"labs": [...]}``, indented, with a final newline."""
    return msgspec.json.format(msgspec.json.encode({"labs": list(labs)}), indent=2).decode() + "\n"


def render_lines(labs: Sequence[LabEntry]) -> list[str]:
    """One aligned line per lab (none when there is no lab)."""
    if not labs:
        return []
    width = max(len(lab.name) for lab in labs)
    lines = []
    for lab in labs:
        what = f"{lab.style}, {lab.nodes} nodes, " if lab.style is not None else ""
        lines.append(f"{lab.name:<{width}}  {lab.state:<21}  {what}{lab.namespaces} namespaces")
    return lines
