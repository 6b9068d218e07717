"""``netblame plan``: arguments -> :mod:`netblame.api.plan` -> a renderer / files."""

from __future__ import annotations

import click

from netblame.api.plan import CNIS, DISTRIBUTIONS, PlanRequest, emit, make_plan, write_files
from netblame.cli._output import console, output_option
from netblame.render import plan_view


@click.command("plan")
@click.option("--nodes", type=int, required=True, help="Nodes the cluster starts with.")
@click.option("--growth", type=int, default=0, show_default=True, help="Further nodes it may grow by.")
@click.option("--max-pods", type=int, default=110, show_default=True, help="Pods per node (kubelet maxPods).")
@click.option("--lan", multiple=True, metavar="CIDR", help="The nodes' LAN (repeatable).")
@click.option("--avoid", multiple=True, metavar="CIDR",
              help="Other networks to keep clear of: VPNs, Tailscale 100.64.0.0/10, the router's other subnets.")
@click.option("--allow-docker-range", is_flag=True, help="Do not keep clear of Docker's default bridge 172.17.0.0/16.")
@click.option("--cni", type=click.Choice(CNIS), help="Emit this CNI's configuration too.")
@click.option("--distribution", type=click.Choice(DISTRIBUTIONS), default="kubeadm", show_default=True)
@click.option("--ipv6", "stack", flag_value="ipv6", help="IPv6 only (ULA ranges).")
@click.option("--dual-stack", "stack", flag_value="dual", help="IPv4 and IPv6.")
@click.option("--write", "write_dir", metavar="DIR", help="Write the configuration files into DIR (all or none).")
@output_option("text", "json")
def plan_cmd(nodes: int, growth: int, max_pods: int, lan: tuple[str, ...], avoid: tuple[str, ...],
             allow_docker_range: bool, cni: str | None, distribution: str, stack: str | None,
             write_dir: str | None, output: str) -> None:
    """Propose pod, node-mask, service and cluster-DNS values for a new cluster, explain them, and emit
    the distribution's and the CNI's configuration (docs/plan.md)."""
    req = PlanRequest(nodes=nodes, growth=growth, max_pods=max_pods, lan=lan, avoid=avoid, cni=cni,
                      distribution=distribution, stack=stack or "ipv4",  # type: ignore[arg-type]
                      avoid_docker=not allow_docker_range)
    plan = make_plan(req)
    files = emit(plan)
    if write_dir is not None:
        write_files(write_dir, files)
    if output == "json":
        click.echo(plan_view.render_json(plan, files))
        return
    plan_view.render(plan, files, console(), show_files=write_dir is None)
    if write_dir is not None:
        click.echo(f"wrote {', '.join(e.name for e in files)} into {write_dir}")
