"""``netblame trace``."""

from __future__ import annotations

import sys

import click

from netblame import exit_codes
from netblame.cli._output import output_option, usage


@click.command("trace")
@click.argument("src")
@click.argument("dst")
@click.option("--proto", type=click.Choice(["icmp", "udp", "tcp"]), default="icmp", show_default=True)
@click.option("--dport", type=click.IntRange(0, 65535), help="Destination port (udp/tcp).")
@click.option("--size", type=click.IntRange(28, 65535), default=84, show_default=True,
              help="IP packet size in bytes (headers included).")
@click.option("--df/--no-df", default=True, show_default=True, help="Don't-fragment bit.")
@click.option("--mark", "mark_text", default="0", show_default=True, metavar="N",
              help="Firewall mark the packet carries (decimal or 0x hex), for fwmark policy rules.")
@click.option("--reply/--no-reply", default=None,
              help="Also trace each delivered branch's reply back to the client, through conntrack's reverse NAT "
                   "[default: on for udp and tcp].")
@click.option("--snapshot", "snapshot_file", metavar="FILE", help="Trace through a snapshot file (netblame collect).")
@click.option("--live", is_flag=True, help="Collect this machine's namespaces first (read-only; needs root).")
@click.option("--lab", metavar="NAME", help="Collect lab NAME's namespaces first (read-only).")
@output_option("table", "json")
def trace_cmd(src: str, dst: str, proto: str, dport: int | None, size: int, df: bool, mark_text: str,
              reply: bool | None, snapshot_file: str | None, live: bool, lab: str | None, output: str) -> None:
    """Simulate a packet from SRC to DST hop by hop through namespaces, bridges, veths, tunnels and the
    underlay, packet filters and NAT, and say where and why it stops. SRC and DST are a pod (n1-p1),
    namespace:device, a namespace or node name, or an IP address. An address as SRC is the host that owns
    it sending with that source address; namespace:device is a socket bound to that device (ping -I).
    A Service address follows kube-proxy's DNAT to every endpoint, one branch each. For udp and tcp each
    delivered branch's reply is traced back too (conntrack reverses the NAT; --no-reply turns it off,
    --reply turns it on for icmp). Nothing is sent: the answer comes from the snapshot.

    Exit codes: 0 delivered (and every traced reply comes back), 1 the packet or a reply does not arrive,
    2 bad input.

    \b
    Examples:
      netblame trace n1-p1 n2-p1 --snapshot lab.json
      netblame trace n1-p1 10.244.2.7 --proto udp --dport 53 --lab demo
      netblame trace nb-demo-n1:eth0 192.168.50.12 --size 1500 --df --live -o json
      netblame trace n1-p1 10.96.0.80 --proto tcp --dport 80 --lab demo
      netblame trace 198.18.0.252 198.18.0.1 --proto tcp --dport 30080 --lab demo
      netblame trace 192.168.50.11 n2-p1 --mark 0x4000 --snapshot lab.json
    """
    try:
        mark = int(mark_text, 0)
    except ValueError:
        raise click.BadParameter(f"expected a number such as 16 or 0x10, got {mark_text!r}",
                                 param_hint="--mark") from None
    if not 0 <= mark <= 0xFFFFFFFF:
        raise click.BadParameter(f"{mark_text} is not a 32-bit mark", param_hint="--mark")
    from netblame.api.trace import trace

    with usage():
        answer = trace(src, dst, snapshot_file=snapshot_file, live=live, lab=lab, proto=proto, dport=dport,
                       size=size, df=df, mark=mark, reply=reply)
    if output == "json":
        from netblame.render.trace_json import render_trace_json

        sys.stdout.write(render_trace_json(answer.result, answer.explanation, answer.src_label, answer.dst_label))
    else:
        from netblame.render.trace_text import render_trace_text

        sys.stdout.write(render_trace_text(answer.result, answer.explanation, answer.src_label, answer.dst_label))
    ok = answer.result.disposition.delivered and answer.result.replies_ok
    sys.exit(exit_codes.OK if ok else exit_codes.FINDINGS)
