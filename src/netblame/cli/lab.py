"""``netblame lab up|down|status|fault|heal``: a real miniature cluster network out of namespaces."""

from __future__ import annotations

import sys

from netblame.api.lab import CNI_PLUGINS, STYLES, LabSpec
from netblame.cli._output import console, output_option, say
from netblame.cli._usage import CommandUsageError
from netblame.cli.parsing import Command, Namespace, Parser, choice, integer

DESCRIPTION = """Build, break and inspect a miniature cluster network made of network namespaces.

Every object is named nb-<lab>-... so a lab only ever touches its own objects. See docs/lab.md.

\b
Examples:
  sudo netblame lab up demo --style vxlan
  sudo netblame lab fault demo missing-route --node n2
  sudo netblame lab status demo
  sudo netblame lab heal demo --all
  sudo netblame lab down demo
  netblame lab list

Every subcommand names the lab the same way: NAME, right after the subcommand."""


def _lab_name(parser: Parser) -> None:
    """The lab's NAME as a positional argument, with ``--name NAME`` still accepted (hidden) for up and
    down, which took it that way before."""
    parser.argument("NAME", nargs="?")
    parser.option("--name", dest="name_option", metavar="NAME", hidden=True)


def _resolve_name(args: Namespace, command: str) -> str:
    name, name_option = args.name, args.name_option
    if name is not None and name_option is not None and name != name_option:
        raise CommandUsageError("give the lab's NAME once (NAME or --name, not both)")
    chosen: str | None = name or name_option
    if chosen is None:
        raise CommandUsageError(f"missing the lab's NAME, e.g. `netblame lab {command} demo`")
    return chosen


def up_arguments(parser: Parser) -> None:
    _lab_name(parser)
    parser.option("--style", value=choice(STYLES), default="vxlan", show_default=True,
                  help="Node-to-node pod path: Flannel-like VXLAN, BGP-routed (BIRD), or host-gw-like static routes.")
    parser.option("--nodes", value=integer(), default=3, show_default=True, help="Node namespaces.")
    parser.option("--pods-per-node", value=integer(), default=2, show_default=True, help="Pod namespaces per node.")
    parser.option("--pod-cidr", default="10.244.0.0/16", show_default=True, help="Cluster pod range.")
    parser.option("--node-mask", value=integer(), default=24, show_default=True,
                  help="Per-node pod range size (kube-controller-manager --node-cidr-mask-size).")
    parser.option("--cni", value=choice(CNI_PLUGINS), default="bridge", show_default=True,
                  help="Reference CNI plugin attaching pods (with host-local IPAM).")
    parser.option("--lan-cidr", default="198.18.0.0/24", show_default=True, help="The nodes' LAN.")
    parser.flag("--route-reflector",
                help="Style routed: nodes peer with a BGP route reflector in a router namespace, not with each other.")
    output_option(parser, "table", "json")


def up_run(args: Namespace) -> None:
    name = _resolve_name(args, "up")
    from netblame.api import lab

    spec = LabSpec(name=name, style=args.style, nodes=args.nodes, pods_per_node=args.pods_per_node,
                   pod_cidr=args.pod_cidr, node_mask=args.node_mask, cni=args.cni, lan_cidr=args.lan_cidr,
                   route_reflector=args.route_reflector)
    lab.validate(spec)  # bad options fail before the root check
    lab.need_root()
    lab.up(spec, progress=lambda line: say(f"netblame: {line}"))
    _show_status(name, args.output)


def down_run(args: Namespace) -> None:
    name = _resolve_name(args, "down")
    from netblame.api import lab

    lab.check_name(name)
    lab.need_root()
    removed = lab.down(name)
    say(f"lab {name}: removed {len(removed)} namespaces" if removed else f"lab {name}: nothing to remove")


def status_arguments(parser: Parser) -> None:
    parser.argument("NAME")
    parser.switch("--ping", "--no-ping", dest="ping", default=True,
                  help="Probe pod-to-pod reachability across nodes (one ping per node pair).")
    output_option(parser, "table", "json")


def status_run(args: Namespace) -> None:
    from netblame.api import lab

    lab.need_root()
    _show_status(args.name, args.output, ping=args.ping)


def fault_arguments(parser: Parser) -> None:
    parser.argument("NAME")
    parser.argument("FAULT")
    parser.option("--node", help="The node the fault is applied on (default n2).")
    parser.option("--peer", help="The other node involved (default: the first other node with a pod range).")


def fault_run(args: Namespace) -> None:
    from netblame.api import lab

    lab.need_root()
    applied = lab.fault(args.name, args.fault, node=args.node, peer=args.peer)
    print(f"lab {args.name}: {applied.name} on {applied.node}: {applied.detail}")


def heal_arguments(parser: Parser) -> None:
    parser.argument("NAME")
    parser.argument("FAULT", nargs="?")
    parser.flag("--all", dest="heal_all", help="Heal every active fault.")
    parser.option("--node", help="Heal only the fault on this node.")


def heal_run(args: Namespace) -> None:
    from netblame.api import lab

    name, fault = args.name, args.fault
    if bool(fault) == args.heal_all:
        raise CommandUsageError("give a FAULT or --all")
    lab.need_root()
    healed = lab.heal(name, fault, node=args.node)
    for item in healed:
        print(f"lab {name}: healed {item.name} on {item.node}")
    if not healed:
        say(f"lab {name}: no active fault to heal")


def list_run(args: Namespace) -> None:
    from netblame.api.lab import list_labs
    from netblame.render.lab_list import render_json, render_lines

    labs = list_labs()
    if args.output == "json":
        sys.stdout.write(render_json(labs))
        return
    if not labs:
        print("no labs on this machine (build one with: sudo netblame lab up demo)")
        return
    for line in render_lines(labs):
        print(line)


def service_arguments(parser: Parser) -> None:
    parser.argument("NAME")
    parser.argument("ACTION", value=choice(("add", "remove")))
    parser.option("--backend", value=choice(("iptables", "nftables")), default="iptables", show_default=True,
                  help="Write the rules as kube-proxy's iptables or nftables mode does.")


def service_run(args: Namespace) -> None:
    from netblame.api import lab

    name = args.name
    lab.need_root()
    if args.action == "add":
        svc = lab.service_add(name, args.backend)
        print(f"lab {name}: Service {svc.cluster_ip}:{svc.port} and node port {svc.node_port} -> "
              f"{', '.join(f'{ep}:{svc.target_port}' for ep in svc.endpoints)}")
        if svc.outside_ip:
            print(f"outside host {svc.outside_namespace} ({svc.outside_ip}) on the LAN: a NodePort client that is "
                  "not a node")
    else:
        svc = lab.service_remove(name)
        print(f"lab {name}: removed Service {svc.cluster_ip}")


def _show_status(name: str, output: str, *, ping: bool = True) -> None:
    from netblame.api import lab
    from netblame.render.lab_status import render, render_json

    result = lab.status(name, ping=ping)
    if output == "json":
        sys.stdout.write(render_json(result))
    else:
        render(result, console())


SUBCOMMANDS = {
    "up": Command("Build lab NAME (1-12 lower-case letters or digits): a LAN switch, node namespaces, pods attached "
                  "by the CNI plugins, and the style's path.", up_arguments, up_run, summary="Build lab NAME."),
    "down": Command("Remove everything of lab NAME (also after a crashed up); nothing to remove is fine.", _lab_name,
                    down_run, summary="Remove everything of lab NAME."),
    "status": Command("Show a lab's nodes, pod ranges, pods, active faults and reachability.", status_arguments,
                      status_run, summary="Show a lab's nodes, pod ranges, pods, faults and reachability."),
    "fault": Command("Break a lab on purpose. FAULT is one of: no-pod-range, overlapping-pod-ranges, missing-route, "
                     "wrong-vxlan-fdb, underlay-mtu, ip-forward-off, rp-filter-strict, blackhole-route, "
                     "firewall-drops-tunnel, forward-policy-drop, service-no-endpoints.", fault_arguments, fault_run,
                     summary="Break a lab on purpose."),
    "heal": Command("Undo a fault exactly (or every fault with --all).", heal_arguments, heal_run,
                    summary="Undo a fault exactly (or every fault with --all)."),
    "list": Command("List the labs on this machine, from their state files and namespaces, also ones half torn down "
                    "(remove those with `netblame lab down NAME`).", lambda parser: output_option(parser, "table",
                    "json"), list_run, summary="List the labs on this machine."),
    "service": Command("In lab NAME, add or remove a kube-proxy-style Service: ClusterIP 10.96.0.80 port 80 (tcp, "
                       "udp) and NodePort 30080, DNAT to pods on the other nodes (target port 8080), masquerading what "
                       "needs it.\n\n\b\nExamples:\n  sudo netblame lab service demo add\n  netblame trace n1-p1 "
                       "10.96.0.80 --proto udp --dport 80 --lab demo\n  sudo netblame lab service demo remove",
                       service_arguments, service_run, summary="Add or remove a kube-proxy-style Service."),
}

COMMAND = Command(DESCRIPTION, lambda parser: None, None, subcommands=SUBCOMMANDS)
