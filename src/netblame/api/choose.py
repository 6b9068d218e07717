"""``netblame choose`` as a library call: rank the CNIs a small cluster would consider against its nodes
and needs, optionally reading the node's facts (read-only) from this machine or a copy of its files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from netblame.choose import CANDIDATES, NEEDS, Arch, Constraints, Decision, decide
from netblame.live.machine_facts import parse_kernel

__all__ = ["NEEDS", "Arch", "Decision", "choose", "parse_kernel"]


def choose(*, arch: str | None, kernel: tuple[int, int] | None, ram_mib: int | None, nodes: int | None,
           needs: Iterable[str], node_root: Path | None = None) -> Decision:
    """The ranked candidates and the pick. With ``node_root`` (``/`` for this machine), the node's arch,
    kernel, modules, cgroups and memory are read from there; values given explicitly win over what is read."""
    node = None
    if node_root is not None:
        from netblame.live.machine_facts import read_machine_facts

        modules = {m for c in CANDIDATES for m in (*c.modules.value, *c.encryption_modules.value)}
        node = read_machine_facts(node_root, {name for entry in modules for name in entry.split("|")})
        if arch is None and node.arch in {a.value for a in Arch}:
            arch = node.arch
        kernel = kernel if kernel is not None else node.kernel
        ram_mib = ram_mib if ram_mib is not None else node.mem_total_mib
    constraints = Constraints(arch=Arch(arch) if arch else None, kernel=kernel, ram_mib=ram_mib, nodes=nodes,
                              needs=frozenset(needs))
    return decide(constraints, node)
