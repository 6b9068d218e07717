"""``choose`` for people (the pick, why, trade-offs, install steps, and a comparison table whose every
row names its sources) and as JSON (``netblame/choose/v1``, documented in docs/choose.md)."""

from __future__ import annotations

from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from netblame.choose import NEEDS, Assessment, Cell, Decision, Support, plan_command

SCHEMA = "netblame/choose/v1"
_MARK = {Support.YES: "yes", Support.PARTIAL: "partly", Support.NO: "no"}


def _value(cell: Cell[object]) -> Any:
    value = cell.value
    if isinstance(value, frozenset):
        return sorted(getattr(v, "value", str(v)) for v in value)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]}.{value[1]}"
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Support):
        return value.value
    return value


class _Refs:
    """Numbers each distinct source once, in order of first use."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def ref(self, source: str) -> str:
        if source not in self.order:
            self.order.append(source)
        return f"[{self.order.index(source) + 1}]"


def _verdict(a: Assessment, decision: Decision) -> str:
    if decision.recommended is a:
        return "recommended"
    return "fits" if a.viable else "ruled out"


def _row(a: Assessment, decision: Decision, refs: _Refs) -> list[str]:
    c = a.candidate
    used: list[Cell[object]] = [c.archs, c.min_kernel, c.memory_mib, c.min_node_ram_mib]
    yes, partly = [], []
    for need in NEEDS:
        cell = c.feature(need)
        if cell.value is Support.YES:
            yes.append(need)
        elif cell.value is Support.PARTIAL:
            partly.append(need)
        if cell.value is not Support.NO or need in decision.constraints.needs:
            used.append(cell)
    capabilities = ", ".join(yes) + (f"; partly: {', '.join(partly)}" if partly else "")
    memory = c.memory_mib.value
    sources = [refs.ref(cell.source) for cell in used] + [refs.ref(p.source) for p in a.problems]
    return [c.name, _verdict(a, decision), ", ".join(_value(c.archs)), str(_value(c.min_kernel) or "-"),
            "-" if memory is None else f"{memory}Mi", f"{c.min_node_ram_mib.value}Mi", capabilities,
            " ".join(dict.fromkeys(sources))]


def _say(console: Console, text: str, style: str = "") -> None:
    console.print(Text(text, style=style), soft_wrap=True)


def render_text(decision: Decision, console: Console) -> None:
    """Print the decision."""
    best = decision.recommended
    for problem in decision.node_problems:
        _say(console, f"node: {problem.text} [{problem.source}]", "yellow")
    if best is None:
        _say(console, "No candidate fits: every one is ruled out (see the problems below).", "bold red")
    else:
        c = best.candidate
        _say(console, f"Recommended: {c.name}", "bold green")
        _say(console, "Why:")
        for reason in decision.reasons:
            _say(console, f"  - {reason}")
        _say(console, "Trade-offs:")
        for trade in decision.trade_offs:
            _say(console, f"  - {trade}")
        _say(console, f"Install ({c.install.note}) [{c.install.source}]:")
        for step in c.install.value:
            _say(console, f"  $ {step}")
        _say(console, f"The network between the nodes must carry [{c.network.source}]:")
        for need in c.network.value:
            _say(console, f"  - {need}")
    refs = _Refs()
    table = Table(title="Comparison (every row's cells name their sources, listed below)", title_justify="left",
                  show_lines=True, expand=True)
    for name, width in (("CNI", 12), ("verdict", 11), ("architectures", 12), ("min kernel", 6),
                        ("CNI memory", 6), ("node RAM", 7), ("capabilities", None), ("sources", 14)):
        table.add_column(name, overflow="fold", max_width=width)
    for assessment in decision.ranked:
        table.add_row(*_row(assessment, decision, refs))
    console.print(table)
    problems = [(a, p) for a in decision.ranked for p in a.problems]
    if problems:
        _say(console, "Problems:")
        for a, p in problems:
            _say(console, f"  {a.candidate.name}: {p.level.value}: {p.text} {refs.ref(p.source)}")
    _say(console, "Sources:")
    for number, source in enumerate(refs.order, start=1):
        _say(console, f"  [{number}] {source}")
    command = plan_command(decision)
    if command is not None:
        _say(console, "Next, plan its address ranges and write its configuration:", "bold")
        _say(console, f"  $ {command}")


def _cells(a: Assessment) -> dict[str, Any]:
    return {name: {"value": _value(cell), "source": cell.source, "note": cell.note}
            for name, cell in a.candidate.cells()}


def decision_dict(decision: Decision) -> dict[str, Any]:
    """The decision as ``netblame/choose/v1``."""
    k = decision.constraints
    best = decision.recommended
    node = decision.node
    return {
        "schema": SCHEMA,
        "constraints": {"arch": k.arch.value if k.arch else None, "kernel": _value(Cell(k.kernel, "")) if k.kernel
                        else None, "ram_per_node_mib": k.ram_mib, "nodes": k.nodes, "needs": sorted(k.needs)},
        "node": None if node is None else {
            "root": node.root, "arch": node.arch, "kernel": node.kernel_release, "mem_total_mib": node.mem_total_mib,
            "mem_available_mib": node.mem_available_mib, "memory_cgroup": node.memory_cgroup,
            "modules": {m.name: {"state": m.state.value, "where": m.where} for m in node.modules}},
        "node_problems": [{"text": p.text, "source": p.source} for p in decision.node_problems],
        "recommended": best.candidate.key if best else None,
        "reasons": list(decision.reasons),
        "trade_offs": list(decision.trade_offs),
        "install": None if best is None else {"steps": list(best.candidate.install.value),
                                              "source": best.candidate.install.source},
        "candidates": [{"key": a.candidate.key, "name": a.candidate.name, "verdict": _verdict(a, decision),
                        "met": list(a.met), "partial": list(a.partial),
                        "problems": [{"level": p.level.value, "text": p.text, "source": p.source} for p in a.problems],
                        "cells": _cells(a)} for a in decision.ranked],
        "plan_command": plan_command(decision),
    }


def render_json(decision: Decision) -> str:
    """Pretty JSON with a trailing newline."""
    return orjson.dumps(decision_dict(decision), option=orjson.OPT_INDENT_2).decode() + "\n"
