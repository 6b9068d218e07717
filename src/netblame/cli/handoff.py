"""``netblame handoff``: arguments -> :func:`netblame.handoff.handoff` -> text, Markdown or JSON."""

from __future__ import annotations

import sys

from netblame import exit_codes
from netblame.api.plan import CNIS, DISTRIBUTIONS
from netblame.cli._output import output_option
from netblame.cli.parsing import Command, Namespace, Parser, choice, integer, many, path

ROUTINGS = ("vxlan", "geneve", "ipip", "wireguard", "native", "host-gw", "none", "vxlan-crosssubnet",
            "ipip-crosssubnet")

DESCRIPTION = """What the physical network must provide for this cluster: ports and protocols, MTU, routes or BGP
peering (FRR and BIRD configuration), DHCP/DNS; with --snapshot, each checked on the nodes (docs/handoff.md)."""


def arguments(parser: Parser) -> None:
    parser.argument("PATHS", nargs="*", value=path())
    parser.option("--plan", dest="plan_file", metavar="FILE", help="The output of netblame plan -o json.")
    parser.option("--snapshot", dest="snapshot_file", metavar="FILE",
                  help="A node or cluster snapshot (netblame collect): nodes, and each requirement checked on them.")
    parser.option("--distribution", value=choice(DISTRIBUTIONS), help="Override the distribution.")
    parser.option("--cni", value=choice(CNIS), help="Override the CNI.")
    parser.option("--routing", value=choice(ROUTINGS),
                  help="Override the pod data path (none = Calico pools without encapsulation: BGP).")
    parser.option("--encryption", value=choice(("wireguard",)), help="Pod traffic is encrypted.")
    parser.option("--underlay-mtu", value=integer(576, 65535), help="The underlay's MTU (default 1500).")
    parser.option("--asn", value=integer(1, 4294967295), help="The nodes' BGP AS number (default 64512).")
    parser.option("--router-ip", metavar="ADDRESS", help="The router's address on the nodes' LAN.")
    parser.option("--search-domain", dest="search_domains", repeat=True,
                  help="A search domain the nodes should get.")
    output_option(parser, "text", "md", "json")
    parser.flag("--fail-on-unmet", help="Exit 1 when a checked requirement is not met.")


def run(args: Namespace) -> None:
    from netblame.api.handoff import HandoffOptions, handoff
    from netblame.render import handoff_view

    opts = HandoffOptions(distribution=args.distribution, cni=args.cni, routing=args.routing,
                          encryption=args.encryption, underlay_mtu=args.underlay_mtu, asn=args.asn,
                          router_ip=args.router_ip, search_domains=many(args.search_domains))
    result = handoff(many(args.paths), plan_file=args.plan_file, snapshot_file=args.snapshot_file, options=opts)
    if args.output == "json":
        print(handoff_view.render_json(result))
    elif args.output == "md":
        sys.stdout.write(handoff_view.markdown(result))
    else:
        sys.stdout.write(handoff_view.text(result))
    if args.fail_on_unmet and any(s.state == "not met" for s in result.checks):
        sys.exit(exit_codes.FINDINGS)


COMMAND = Command(DESCRIPTION, arguments, run)
