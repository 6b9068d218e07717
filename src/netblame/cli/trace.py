"""``netblame trace``."""

from __future__ import annotations

import sys

from netblame import exit_codes
from netblame.cli._output import output_option, usage
from netblame.cli._usage import bad_value
from netblame.cli.parsing import Command, Namespace, Parser, choice, integer

DESCRIPTION = """Simulate a packet from SRC to DST hop by hop through namespaces, bridges, veths, tunnels and the
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
  netblame trace 192.168.50.11 n2-p1 --mark 0x4000 --snapshot lab.json"""


def arguments(parser: Parser) -> None:
    parser.argument("SRC")
    parser.argument("DST")
    parser.option("--proto", value=choice(("icmp", "udp", "tcp")), default="icmp", show_default=True)
    parser.option("--dport", value=integer(0, 65535), help="Destination port (udp/tcp).")
    parser.option("--size", value=integer(28, 65535), default=84, show_default=True,
                  help="IP packet size in bytes (headers included).")
    parser.switch("--df", "--no-df", dest="df", default=True, help="Don't-fragment bit.")
    parser.option("--mark", dest="mark_text", default="0", show_default=True, metavar="N",
                  help="Firewall mark the packet carries (decimal or 0x hex), for fwmark policy rules.")
    parser.switch("--reply", "--no-reply", dest="reply", default=None,
                  help="Also trace each delivered branch's reply back to the client, through conntrack's reverse "
                  "NAT  [default: on for udp and tcp].")
    parser.option("--snapshot", dest="snapshot_file", metavar="FILE",
                  help="Trace through a snapshot file (netblame collect).")
    parser.flag("--live", help="Collect this machine's namespaces first (read-only; needs root).")
    parser.option("--lab", metavar="NAME", help="Collect lab NAME's namespaces first (read-only).")
    output_option(parser, "table", "json")


def run(args: Namespace) -> None:
    try:
        mark = int(args.mark_text, 0)
    except ValueError:
        raise bad_value("--mark", f"expected a number such as 16 or 0x10, got {args.mark_text!r}") from None
    if not 0 <= mark <= 0xFFFFFFFF:
        raise bad_value("--mark", f"{args.mark_text} is not a 32-bit mark")
    from netblame.api.trace import trace

    with usage():
        answer = trace(args.src, args.dst, snapshot_file=args.snapshot_file, live=args.live, lab=args.lab,
                       proto=args.proto, dport=args.dport, size=args.size, df=args.df, mark=mark, reply=args.reply)
    if args.output == "json":
        from netblame.render.trace_json import render_trace_json

        sys.stdout.write(render_trace_json(answer.result, answer.explanation, answer.src_label, answer.dst_label))
    else:
        from netblame.render.trace_text import render_trace_text

        sys.stdout.write(render_trace_text(answer.result, answer.explanation, answer.src_label, answer.dst_label))
    ok = answer.result.disposition.delivered and answer.result.replies_ok
    sys.exit(exit_codes.OK if ok else exit_codes.FINDINGS)


COMMAND = Command(DESCRIPTION, arguments, run)
