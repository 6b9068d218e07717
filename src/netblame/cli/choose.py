"""``netblame choose``: compare the CNIs a small cluster would consider and recommend one."""

from __future__ import annotations

import re
import sys

from netblame import exit_codes
from netblame.api.choose import NEEDS, Arch, choose, parse_kernel
from netblame.cli._output import console, output_option
from netblame.cli._usage import bad_value
from netblame.cli.parsing import Command, Namespace, Parser, choice, integer, many, path

_UNITS = {"": 1, "m": 1, "mi": 1, "mb": 1, "mib": 1, "g": 1024, "gi": 1024, "gb": 1024, "gib": 1024}

DESCRIPTION = """Compare Cilium, Calico, Flannel, k3s's Flannel, kube-router and Antrea against your nodes and
needs; recommend one with reasons, trade-offs and install steps. Every cell names its source.

Flags given explicitly win over what --node reads. Exit 0 when a candidate fits, 1 when none
does, 2 on bad usage or unreadable node files."""


def parse_size(text: str) -> int:
    """``1G``, ``4GiB``, ``512M``, ``900`` (MiB) -> MiB."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if not found or found.group(2).lower() not in _UNITS:
        raise bad_value("--ram-per-node", f"{text!r} is not a size like 1G, 4GiB or 512M")
    mib = int(float(found.group(1)) * _UNITS[found.group(2).lower()])
    if mib <= 0:
        raise bad_value("--ram-per-node", f"{text!r} is not a positive size")
    return mib


def _needs(values: tuple[str, ...]) -> frozenset[str]:
    needs = {n.strip() for v in values for n in v.split(",") if n.strip()}
    unknown = sorted(needs - set(NEEDS))
    if unknown:
        raise bad_value("--need", f"unknown need {', '.join(unknown)}; known: {', '.join(NEEDS)}")
    return frozenset(needs)


def arguments(parser: Parser) -> None:
    parser.option("--arch", value=choice([a.value for a in Arch]), help="The nodes' CPU architecture.")
    parser.option("--kernel", dest="kernel_text", metavar="VERSION", help="The nodes' kernel, e.g. 6.1 or 6.1.21-v7+.")
    parser.option("--ram-per-node", dest="ram_text", metavar="SIZE", help="Memory of the smallest node, e.g. 1G, 4GiB.")
    parser.option("--nodes", value=integer(1), help="Number of nodes (1: a k3s server must fit too).")
    parser.option("--need", dest="need_values", repeat=True, metavar="LIST",
                  help=f"Comma-separated needs: {', '.join(NEEDS)}.")
    parser.flag("--node", dest="use_node",
                help="Read arch, kernel, modules, cgroups and memory from this machine (read-only).")
    parser.option("--root", value=path(file_okay=False),
                  help="With --node: read those files from a copy of another node's / (implies --node).")
    output_option(parser, "table", "json")


def run(args: Namespace) -> None:
    from pathlib import Path

    from netblame.render.choose import render_json, render_text

    kernel = None
    if args.kernel_text is not None:
        kernel = parse_kernel(args.kernel_text)
        if kernel is None:
            raise bad_value("--kernel", f"{args.kernel_text!r} is not a kernel version like 6.1")
    ram = parse_size(args.ram_text) if args.ram_text is not None else None
    needs = _needs(many(args.need_values))
    root = Path(args.root) if args.root is not None else None
    node_root = (root or Path("/")) if args.use_node or root is not None else None
    decision = choose(arch=args.arch, kernel=kernel, ram_mib=ram, nodes=args.nodes, needs=needs, node_root=node_root)
    if args.output == "json":
        sys.stdout.write(render_json(decision))
    else:
        render_text(decision, console())
    if decision.recommended is None:
        sys.exit(exit_codes.FINDINGS)


COMMAND = Command(DESCRIPTION, arguments, run)
