"""``netblame lab up|down|status|fault|heal``: a real miniature cluster network out of namespaces."""

from __future__ import annotations

import os
import sys

import click
import msgspec

from netblame.cli._output import console, output_option
from netblame.errors import LabError
from netblame.lab.layout import CNI_PLUGINS, STYLES, LabSpec


def _need_root() -> None:
    if os.geteuid() != 0:
        raise LabError("lab commands build network namespaces and need root (run with sudo)")


@click.group("lab")
def lab_cmd() -> None:
    """Build, break and inspect a miniature cluster network made of network namespaces.

    Every object is named nb-<lab>-... so a lab only ever touches its own objects. See docs/lab.md.

    \b
    Examples:
      sudo netblame lab up --name demo --style vxlan
      sudo netblame lab fault demo missing-route --node n2
      sudo netblame lab status demo
      sudo netblame lab heal demo --all
      sudo netblame lab down --name demo
    """


@lab_cmd.command("up")
@click.option("--name", required=True, help="Lab name: 1-12 lower-case letters or digits.")
@click.option("--style", type=click.Choice(STYLES), default="vxlan", show_default=True,
              help="Node-to-node pod path: Flannel-like VXLAN, BGP-routed (BIRD), or host-gw-like static routes.")
@click.option("--nodes", type=int, default=3, show_default=True, help="Node namespaces.")
@click.option("--pods-per-node", type=int, default=2, show_default=True, help="Pod namespaces per node.")
@click.option("--pod-cidr", default="10.244.0.0/16", show_default=True, help="Cluster pod range.")
@click.option("--node-mask", type=int, default=24, show_default=True,
              help="Per-node pod range size (kube-controller-manager --node-cidr-mask-size).")
@click.option("--cni", type=click.Choice(CNI_PLUGINS), default="bridge", show_default=True,
              help="Reference CNI plugin attaching pods (with host-local IPAM).")
@click.option("--lan-cidr", default="198.18.0.0/24", show_default=True, help="The nodes' LAN.")
@click.option("--route-reflector", is_flag=True,
              help="Style routed: nodes peer with a BGP route reflector in a router namespace, not with each other.")
@output_option("table", "json")
def up_cmd(name: str, style: str, nodes: int, pods_per_node: int, pod_cidr: str, node_mask: int, cni: str,
           lan_cidr: str, route_reflector: bool, output: str) -> None:
    """Build a lab: a LAN switch, node namespaces, pods attached by the CNI plugins, and the style's path."""
    from netblame.lab import build
    from netblame.lab.layout import make_layout

    spec = LabSpec(name=name, style=style, nodes=nodes, pods_per_node=pods_per_node,  # type: ignore[arg-type]
                   pod_cidr=pod_cidr, node_mask=node_mask, cni=cni, lan_cidr=lan_cidr,  # type: ignore[arg-type]
                   route_reflector=route_reflector)
    make_layout(spec)  # bad options fail before the root check
    _need_root()
    build.up(spec, progress=lambda line: click.echo(f"netblame: {line}", err=True))
    _show_status(name, output)


@lab_cmd.command("down")
@click.option("--name", required=True, help="Lab name.")
def down_cmd(name: str) -> None:
    """Remove everything of a lab (also after a crashed up); nothing to remove is fine."""
    from netblame.lab import build
    from netblame.lab.layout import check_name

    check_name(name)
    _need_root()
    removed = build.down(name)
    click.echo(f"lab {name}: removed {len(removed)} namespaces" if removed else f"lab {name}: nothing to remove",
               err=True)


@lab_cmd.command("status")
@click.argument("name")
@click.option("--ping/--no-ping", default=True, show_default=True,
              help="Probe pod-to-pod reachability across nodes (one ping per node pair).")
@output_option("table", "json")
def status_cmd(name: str, ping: bool, output: str) -> None:
    """Show a lab's nodes, pod ranges, pods, active faults and reachability."""
    _need_root()
    _show_status(name, output, ping=ping)


@lab_cmd.command("fault")
@click.argument("name")
@click.argument("fault", metavar="FAULT")
@click.option("--node", help="The node the fault is applied on (default n2).")
@click.option("--peer", help="The other node involved (default: the first other node with a pod range).")
def fault_cmd(name: str, fault: str, node: str | None, peer: str | None) -> None:
    """Break a lab on purpose. FAULT is one of: no-pod-range, overlapping-pod-ranges, missing-route,
    wrong-vxlan-fdb, underlay-mtu, ip-forward-off, rp-filter-strict, blackhole-route."""
    from netblame.lab import faults

    _need_root()
    applied = faults.apply(name, fault, node=node, peer=peer)
    click.echo(f"lab {name}: {applied.name} on {applied.node}: {applied.detail}")


@lab_cmd.command("heal")
@click.argument("name")
@click.argument("fault", required=False, metavar="[FAULT]")
@click.option("--all", "heal_all", is_flag=True, help="Heal every active fault.")
@click.option("--node", help="Heal only the fault on this node.")
def heal_cmd(name: str, fault: str | None, heal_all: bool, node: str | None) -> None:
    """Undo a fault exactly (or every fault with --all)."""
    from netblame.lab import faults

    if bool(fault) == heal_all:
        raise click.UsageError("give a FAULT or --all")
    _need_root()
    healed = faults.heal(name, fault, node=node)
    for item in healed:
        click.echo(f"lab {name}: healed {item.name} on {item.node}")
    if not healed:
        click.echo(f"lab {name}: no active fault to heal", err=True)


def _show_status(name: str, output: str, *, ping: bool = True) -> None:
    from netblame.lab import overview

    result = overview.status(name, ping=ping)
    if output == "json":
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(result), indent=2).decode() + "\n")
    else:
        from netblame.render.lab_status import render

        render(result, console())
