"""``netblame choose``: compare the CNIs a small cluster would consider and recommend one."""

from __future__ import annotations

import re
from pathlib import Path

import click

from netblame import exit_codes
from netblame.api.choose import NEEDS, Arch, choose, parse_kernel
from netblame.cli._output import console, output_option
from netblame.render.choose import render_json, render_text

_UNITS = {"": 1, "m": 1, "mi": 1, "mb": 1, "mib": 1, "g": 1024, "gi": 1024, "gb": 1024, "gib": 1024}


def parse_size(text: str) -> int:
    """``1G``, ``4GiB``, ``512M``, ``900`` (MiB) -> MiB."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if not found or found.group(2).lower() not in _UNITS:
        raise click.BadParameter(f"{text!r} is not a size like 1G, 4GiB or 512M", param_hint="--ram-per-node")
    mib = int(float(found.group(1)) * _UNITS[found.group(2).lower()])
    if mib <= 0:
        raise click.BadParameter(f"{text!r} is not a positive size", param_hint="--ram-per-node")
    return mib


def _needs(values: tuple[str, ...]) -> frozenset[str]:
    needs = {n.strip() for v in values for n in v.split(",") if n.strip()}
    unknown = sorted(needs - set(NEEDS))
    if unknown:
        raise click.BadParameter(f"unknown need {', '.join(unknown)}; known: {', '.join(NEEDS)}",
                                 param_hint="--need")
    return frozenset(needs)


@click.command("choose")
@click.option("--arch", type=click.Choice([a.value for a in Arch]), help="The nodes' CPU architecture.")
@click.option("--kernel", "kernel_text", metavar="VERSION", help="The nodes' kernel, e.g. 6.1 or 6.1.21-v7+.")
@click.option("--ram-per-node", "ram_text", metavar="SIZE", help="Memory of the smallest node, e.g. 1G, 4GiB.")
@click.option("--nodes", type=click.IntRange(min=1), help="Number of nodes (1: a k3s server must fit too).")
@click.option("--need", "need_values", multiple=True, metavar="LIST",
              help=f"Comma-separated needs: {', '.join(NEEDS)}.")
@click.option("--node", "use_node", is_flag=True,
              help="Read arch, kernel, modules, cgroups and memory from this machine (read-only).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path),
              help="With --node: read those files from a copy of another node's / (implies --node).")
@output_option("table", "json")
def choose_cmd(arch: str | None, kernel_text: str | None, ram_text: str | None, nodes: int | None,
               need_values: tuple[str, ...], use_node: bool, root: Path | None, output: str) -> None:
    """Compare Cilium, Calico, Flannel, k3s's Flannel, kube-router and Antrea against your nodes and
    needs; recommend one with reasons, trade-offs and install steps. Every cell names its source.

    Flags given explicitly win over what --node reads. Exit 0 when a candidate fits, 1 when none
    does, 2 on bad usage or unreadable node files.
    """
    kernel = None
    if kernel_text is not None:
        kernel = parse_kernel(kernel_text)
        if kernel is None:
            raise click.BadParameter(f"{kernel_text!r} is not a kernel version like 6.1", param_hint="--kernel")
    ram = parse_size(ram_text) if ram_text is not None else None
    needs = _needs(need_values)
    node_root = (root or Path("/")) if use_node or root is not None else None
    decision = choose(arch=arch, kernel=kernel, ram_mib=ram, nodes=nodes, needs=needs, node_root=node_root)
    if output == "json":
        click.echo(render_json(decision), nl=False)
    else:
        render_text(decision, console())
    if decision.recommended is None:
        raise SystemExit(exit_codes.FINDINGS)
