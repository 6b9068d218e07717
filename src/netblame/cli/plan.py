"""``netblame plan``: arguments -> :mod:`netblame.api.plan` -> a renderer / files."""

from __future__ import annotations

from netblame.api.plan import CNIS, DISTRIBUTIONS, PlanRequest, emit, make_plan, write_files
from netblame.cli._output import console, output_option
from netblame.cli.parsing import Command, Namespace, Parser, choice, integer, many

DESCRIPTION = """Propose pod, node-mask, service and cluster-DNS values for a new cluster, explain them, and emit
the distribution's and the CNI's configuration (docs/plan.md)."""


def arguments(parser: Parser) -> None:
    parser.option("--nodes", value=integer(), required=True, help="Nodes the cluster starts with.")
    parser.option("--growth", value=integer(), default=0, show_default=True, help="Further nodes it may grow by.")
    parser.option("--max-pods", value=integer(), default=110, show_default=True,
                  help="Pods per node (kubelet maxPods).")
    parser.option("--lan", repeat=True, metavar="CIDR", help="The nodes' LAN (repeatable).")
    parser.option("--avoid", repeat=True, metavar="CIDR",
                  help="Other networks to keep clear of: VPNs, Tailscale 100.64.0.0/10, the router's other subnets.")
    parser.flag("--allow-docker-range", help="Do not keep clear of Docker's default bridge 172.17.0.0/16.")
    parser.option("--cni", value=choice(CNIS), help="Emit this CNI's configuration too.")
    parser.option("--distribution", value=choice(DISTRIBUTIONS), default="kubeadm", show_default=True)
    parser.const("--ipv6", dest="stack", const="ipv6", help="IPv6 only (ULA ranges).")
    parser.const("--dual-stack", dest="stack", const="dual", help="IPv4 and IPv6.")
    parser.option("--write", dest="write_dir", metavar="DIR",
                  help="Write the configuration files into DIR (all or none).")
    output_option(parser, "text", "json")


def run(args: Namespace) -> None:
    import sys

    from netblame.render import plan_view

    req = PlanRequest(nodes=args.nodes, growth=args.growth, max_pods=args.max_pods, lan=many(args.lan),
                      avoid=many(args.avoid), cni=args.cni, distribution=args.distribution,
                      stack=args.stack or "ipv4", avoid_docker=not args.allow_docker_range)
    plan = make_plan(req)
    files = emit(plan)
    if args.write_dir is not None:
        write_files(args.write_dir, files)
    if args.output == "json":
        print(plan_view.render_json(plan, files))
        return
    plan_view.render(plan, files, console(), show_files=args.write_dir is None)
    if args.write_dir is not None:
        sys.stdout.write(f"wrote {', '.join(e.name for e in files)} into {args.write_dir}\n")


COMMAND = Command(DESCRIPTION, arguments, run)
