"""``netblame handoff``: arguments -> :func:`netblame.handoff.handoff` -> text, Markdown or JSON."""

from __future__ import annotations

import sys

import click

from netblame import exit_codes
from netblame.api.handoff import HandoffOptions, handoff
from netblame.api.plan import CNIS, DISTRIBUTIONS
from netblame.render import handoff_view

ROUTINGS = ("vxlan", "geneve", "ipip", "wireguard", "native", "host-gw", "none", "vxlan-crosssubnet",
            "ipip-crosssubnet")


@click.command("handoff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--plan", "plan_file", metavar="FILE", help="The output of netblame plan -o json.")
@click.option("--snapshot", "snapshot_file", metavar="FILE",
              help="A node or cluster snapshot (netblame collect): nodes, and each requirement checked on them.")
@click.option("--distribution", type=click.Choice(DISTRIBUTIONS), help="Override the distribution.")
@click.option("--cni", type=click.Choice(CNIS), help="Override the CNI.")
@click.option("--routing", type=click.Choice(ROUTINGS),
              help="Override the pod data path (none = Calico pools without encapsulation: BGP).")
@click.option("--encryption", type=click.Choice(("wireguard",)), help="Pod traffic is encrypted.")
@click.option("--underlay-mtu", type=click.IntRange(576, 65535), help="The underlay's MTU (default 1500).")
@click.option("--asn", type=click.IntRange(1, 4294967295), help="The nodes' BGP AS number (default 64512).")
@click.option("--router-ip", metavar="ADDRESS", help="The router's address on the nodes' LAN.")
@click.option("--search-domain", "search_domains", multiple=True, help="A search domain the nodes should get.")
@click.option("-o", "--output", type=click.Choice(("text", "md", "json")), default="text", show_default=True,
              help="Output format.")
@click.option("--fail-on-unmet", is_flag=True, help="Exit 1 when a checked requirement is not met.")
def handoff_cmd(paths: tuple[str, ...], plan_file: str | None, snapshot_file: str | None, distribution: str | None,
                cni: str | None, routing: str | None, encryption: str | None, underlay_mtu: int | None,
                asn: int | None, router_ip: str | None, search_domains: tuple[str, ...], output: str,
                fail_on_unmet: bool) -> None:
    """What the physical network must provide for this cluster: ports and protocols, MTU, routes or BGP
    peering (FRR and BIRD configuration), DHCP/DNS; with --snapshot, each checked on the nodes (docs/handoff.md)."""
    opts = HandoffOptions(distribution=distribution, cni=cni, routing=routing, encryption=encryption,
                          underlay_mtu=underlay_mtu, asn=asn, router_ip=router_ip, search_domains=search_domains)
    result = handoff(paths, plan_file=plan_file, snapshot_file=snapshot_file, options=opts)
    if output == "json":
        click.echo(handoff_view.render_json(result))
    elif output == "md":
        click.echo(handoff_view.markdown(result), nl=False)
    else:
        click.echo(handoff_view.text(result), nl=False)
    if fail_on_unmet and any(s.state == "not met" for s in result.checks):
        sys.exit(exit_codes.FINDINGS)
