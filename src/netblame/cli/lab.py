"""``netblame lab up|down|status|fault|heal``: a real miniature cluster network out of namespaces."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from netblame.api.lab import CNI_PLUGINS, STYLES, LabSpec
from netblame.cli._output import console, output_option

F = TypeVar("F", bound=Callable[..., object])


@click.group("lab")
def lab_cmd() -> None:
    """Build, break and inspect a miniature cluster network made of network namespaces.

    Every object is named nb-<lab>-... so a lab only ever touches its own objects. See docs/lab.md.

    \b
    Examples:
      sudo netblame lab up demo --style vxlan
      sudo netblame lab fault demo missing-route --node n2
      sudo netblame lab status demo
      sudo netblame lab heal demo --all
      sudo netblame lab down demo
      netblame lab list

    Every subcommand names the lab the same way: NAME, right after the subcommand.
    """


def _lab_name(func: F) -> F:
    """The lab's NAME as a positional argument, with ``--name NAME`` still accepted (hidden) for up and
    down, which took it that way before."""
    func = click.option("--name", "name_option", hidden=True, help="Lab name (same as NAME).")(func)
    return click.argument("name", required=False)(func)


def _resolve_name(name: str | None, name_option: str | None) -> str:
    if name is not None and name_option is not None and name != name_option:
        raise click.UsageError("give the lab's NAME once (NAME or --name, not both)")
    chosen = name or name_option
    if chosen is None:
        command = click.get_current_context().info_name
        raise click.UsageError(f"missing the lab's NAME, e.g. `netblame lab {command} demo`")
    return chosen


@lab_cmd.command("up")
@_lab_name
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
def up_cmd(name: str | None, name_option: str | None, style: str, nodes: int, pods_per_node: int, pod_cidr: str,
           node_mask: int, cni: str, lan_cidr: str, route_reflector: bool, output: str) -> None:
    """Build lab NAME (1-12 lower-case letters or digits): a LAN switch, node namespaces, pods attached by
    the CNI plugins, and the style's path."""
    name = _resolve_name(name, name_option)
    from netblame.api import lab

    spec = LabSpec(name=name, style=style, nodes=nodes, pods_per_node=pods_per_node,  # type: ignore[arg-type]
                   pod_cidr=pod_cidr, node_mask=node_mask, cni=cni, lan_cidr=lan_cidr,  # type: ignore[arg-type]
                   route_reflector=route_reflector)
    lab.validate(spec)  # bad options fail before the root check
    lab.need_root()
    lab.up(spec, progress=lambda line: click.echo(f"netblame: {line}", err=True))
    _show_status(name, output)


@lab_cmd.command("down")
@_lab_name
def down_cmd(name: str | None, name_option: str | None) -> None:
    """Remove everything of lab NAME (also after a crashed up); nothing to remove is fine."""
    name = _resolve_name(name, name_option)
    from netblame.api import lab

    lab.check_name(name)
    lab.need_root()
    removed = lab.down(name)
    click.echo(f"lab {name}: removed {len(removed)} namespaces" if removed else f"lab {name}: nothing to remove",
               err=True)


@lab_cmd.command("status")
@click.argument("name")
@click.option("--ping/--no-ping", default=True, show_default=True,
              help="Probe pod-to-pod reachability across nodes (one ping per node pair).")
@output_option("table", "json")
def status_cmd(name: str, ping: bool, output: str) -> None:
    """Show a lab's nodes, pod ranges, pods, active faults and reachability."""
    from netblame.api import lab

    lab.need_root()
    _show_status(name, output, ping=ping)


@lab_cmd.command("fault")
@click.argument("name")
@click.argument("fault", metavar="FAULT")
@click.option("--node", help="The node the fault is applied on (default n2).")
@click.option("--peer", help="The other node involved (default: the first other node with a pod range).")
def fault_cmd(name: str, fault: str, node: str | None, peer: str | None) -> None:
    """Break a lab on purpose. FAULT is one of: no-pod-range, overlapping-pod-ranges, missing-route,
    wrong-vxlan-fdb, underlay-mtu, ip-forward-off, rp-filter-strict, blackhole-route, firewall-drops-tunnel,
    forward-policy-drop, service-no-endpoints."""
    from netblame.api import lab

    lab.need_root()
    applied = lab.fault(name, fault, node=node, peer=peer)
    click.echo(f"lab {name}: {applied.name} on {applied.node}: {applied.detail}")


@lab_cmd.command("heal")
@click.argument("name")
@click.argument("fault", required=False, metavar="[FAULT]")
@click.option("--all", "heal_all", is_flag=True, help="Heal every active fault.")
@click.option("--node", help="Heal only the fault on this node.")
def heal_cmd(name: str, fault: str | None, heal_all: bool, node: str | None) -> None:
    """Undo a fault exactly (or every fault with --all)."""
    from netblame.api import lab

    if bool(fault) == heal_all:
        raise click.UsageError("give a FAULT or --all")
    lab.need_root()
    healed = lab.heal(name, fault, node=node)
    for item in healed:
        click.echo(f"lab {name}: healed {item.name} on {item.node}")
    if not healed:
        click.echo(f"lab {name}: no active fault to heal", err=True)


@lab_cmd.command("list")
@output_option("table", "json")
def list_cmd(output: str) -> None:
    """List the labs on this machine, from their state files and namespaces, also ones half torn down
    (remove those with `netblame lab down NAME`)."""
    from netblame.api.lab import list_labs
    from netblame.render.lab_list import render_json, render_lines

    labs = list_labs()
    if output == "json":
        sys.stdout.write(render_json(labs))
        return
    if not labs:
        click.echo("no labs on this machine (build one with: sudo netblame lab up demo)")
        return
    for line in render_lines(labs):
        click.echo(line)
@lab_cmd.command("service")
@click.argument("name")
@click.argument("action", type=click.Choice(["add", "remove"]))
@click.option("--backend", type=click.Choice(["iptables", "nftables"]), default="iptables", show_default=True,
              help="Write the rules as kube-proxy's iptables or nftables mode does.")
def service_cmd(name: str, action: str, backend: str) -> None:
    """In lab NAME, add or remove a kube-proxy-style Service: ClusterIP 10.96.0.80 port 80 (tcp, udp) and
    NodePort 30080, DNAT to pods on the other nodes (target port 8080), masquerading what needs it.

    \b
    Examples:
      sudo netblame lab service demo add
      netblame trace n1-p1 10.96.0.80 --proto udp --dport 80 --lab demo
      sudo netblame lab service demo remove
    """
    from netblame.api import lab

    lab.need_root()
    if action == "add":
        svc = lab.service_add(name, backend)
        click.echo(f"lab {name}: Service {svc.cluster_ip}:{svc.port} and node port {svc.node_port} -> "
                   f"{', '.join(f'{ep}:{svc.target_port}' for ep in svc.endpoints)}")
        if svc.outside_ip:
            click.echo(f"outside host {svc.outside_namespace} ({svc.outside_ip}) on the LAN: a NodePort client "
                       "that is not a node")
    else:
        svc = lab.service_remove(name)
        click.echo(f"lab {name}: removed Service {svc.cluster_ip}")


def _show_status(name: str, output: str, *, ping: bool = True) -> None:
    from netblame.api import lab
    from netblame.render.lab_status import render, render_json

    result = lab.status(name, ping=ping)
    if output == "json":
        sys.stdout.write(render_json(result))
    else:
        render(result, console())
