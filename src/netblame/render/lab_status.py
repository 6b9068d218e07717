"""``lab status`` for people: the node table, the active faults and the reachability matrix."""

from __future__ import annotations

import msgspec
from rich.console import Console
from rich.table import Table

from netblame.lab.overview import LabStatus


def render(result: LabStatus, console: Console) -> None:
    """The human view: a node table, the faults, the reachability matrix."""
    console.print(f"lab {result.name}: style {result.style}, cni {result.cni}, pod range {result.pod_cidr} "
                  f"(/{result.node_mask} per node){'' if result.complete else ', INCOMPLETE (up did not finish)'}")
    table = Table("node", "namespace", "uplink", "pod range", "pods", "note", box=None, pad_edge=False)
    for node in result.nodes:
        table.add_row(node.name, node.namespace, node.uplink_ip, node.pod_cidr or "-", str(node.pods), node.note)
    console.print(table)
    for fault in result.faults:
        console.print(f"fault {fault.name} on {fault.node}: {fault.detail}")
    if result.reachability is not None:
        names = [n.name for n in result.nodes if n.pods]
        cell = {(p.src, p.dst): "FAIL" if not p.ok else ("ok?" if p.shared else "ok") for p in result.reachability}
        matrix = Table("from \\ to", *names, box=None, pad_edge=False)
        for src in names:
            matrix.add_row(src, *(cell.get((src, dst), "") for dst in names))
        console.print("pod-to-pod reachability (first pod of each node; ok? = answered, but the address is "
                      "held by several pods):" if any(p.shared for p in result.reachability)
                      else "pod-to-pod reachability (first pod of each node):")
        console.print(matrix)


def render_json(result: LabStatus) -> str:
    """The status as JSON, indented, with a final newline."""
    return msgspec.json.format(msgspec.json.encode(result), indent=2).decode() + "\n"
