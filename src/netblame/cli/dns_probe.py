"""``netblame dns probe IFACE``: what the DHCP servers on a link offer, and what this host uses of it."""

from __future__ import annotations

import sys

from netblame import exit_codes
from netblame.cli._output import console, output_option, say
from netblame.cli.parsing import Command, Namespace, Parser, number

DESCRIPTION = """Send one DHCPDISCOVER (or DHCPINFORM when IFACE has an IPv4 address) asking for options 1, 3, 6,
15, 119 and 121, print what each server offers, decoded, and whether this host's setup for IFACE
(netplan, systemd-networkd, NetworkManager or ifupdown, read under --root) uses each option. Takes
no lease and changes nothing. Needs root.

Exit codes: 0 at least one server answered, 1 none did, 2 bad usage or the probe could not run.

\b
Examples:
  sudo netblame dns probe eth0
  sudo netblame dns probe eth0 --timeout 8 -o json
  sudo netblame dns probe eth0 --root ./node1-etc-run"""


def arguments(parser: Parser) -> None:
    from netblame.cli.dns import root_option

    parser.argument("IFACE")
    parser.option("--timeout", value=number(0.5, 60), default=5.0, show_default=True,
                  help="Seconds to collect replies (dnsmasq holds its first offer to a new client about 3 s "
                  "while it pings the address).")
    output_option(parser, "table", "json")
    root_option(parser)


def run(args: Namespace) -> None:
    from netblame.api.dns import host_dhcp_use, probe_dhcp

    iface, timeout = args.iface, args.timeout
    say(f"probing {iface} for {timeout:g} s (no lease is taken)...")
    result = probe_dhcp(iface, timeout=timeout)
    use = host_dhcp_use(iface, args.root)
    if args.output == "json":
        from netblame.render.dhcp_probe import render_json

        sys.stdout.write(render_json(result, use))
    else:
        from netblame.render.dhcp_probe import render_table

        render_table(result, use, console())
    if not result.offers:
        say(f"netblame: no DHCP server answered on {iface} within {timeout:g} s")
        sys.exit(exit_codes.FINDINGS)


PROBE = Command(DESCRIPTION, arguments, run, summary="Ask the DHCP servers on IFACE what they offer.")
