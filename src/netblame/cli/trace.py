"""``netblame trace``."""

from __future__ import annotations

import sys

import click

from netblame.cli._output import output_option, usage


@click.command("trace")
@click.argument("src")
@click.argument("dst")
@click.option("--proto", type=click.Choice(["icmp", "udp", "tcp"]), default="icmp", show_default=True)
@click.option("--dport", type=click.IntRange(0, 65535), help="Destination port (udp/tcp).")
@click.option("--size", type=click.IntRange(28, 65535), default=84, show_default=True,
              help="IP packet size in bytes (headers included).")
@click.option("--df/--no-df", default=True, show_default=True, help="Don't-fragment bit.")
@click.option("--snapshot", "snapshot_file", metavar="FILE", help="Trace through a snapshot file (netblame collect).")
@click.option("--live", is_flag=True, help="Collect this machine's namespaces first (read-only; needs root).")
@click.option("--lab", metavar="NAME", help="Collect lab NAME's namespaces first (read-only).")
@output_option("table", "json")
def trace_cmd(src: str, dst: str, proto: str, dport: int | None, size: int, df: bool, snapshot_file: str | None,
              live: bool, lab: str | None, output: str) -> None:
    """Simulate a packet from SRC to DST hop by hop through namespaces, bridges, veths, tunnels and the
    underlay, and say where and why it stops. SRC and DST are a pod (n1-p1), namespace:device, a
    namespace or node name, or an IP address. Nothing is sent: the answer comes from the snapshot.

    Exit codes: 0 delivered, 1 the packet does not arrive, 2 bad input.

    \b
    Examples:
      netblame trace n1-p1 n2-p1 --snapshot lab.json
      netblame trace n1-p1 10.244.2.7 --proto udp --dport 53 --lab demo
      netblame trace nb-demo-n1:eth0 192.168.50.12 --size 1500 --df --live -o json
    """
    from netblame.api.trace import trace

    with usage():
        answer = trace(src, dst, snapshot_file=snapshot_file, live=live, lab=lab, proto=proto, dport=dport,
                       size=size, df=df)
    if output == "json":
        from netblame.render.trace_json import render_trace_json

        sys.stdout.write(render_trace_json(answer.result, answer.explanation, answer.src_label, answer.dst_label))
    else:
        from netblame.render.trace_text import render_trace_text

        sys.stdout.write(render_trace_text(answer.result, answer.explanation, answer.src_label, answer.dst_label))
    sys.exit(0 if answer.result.disposition.delivered else 1)
