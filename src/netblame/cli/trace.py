"""``netblame trace``."""

from __future__ import annotations

import sys

import click


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
@click.option("-o", "--output", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
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
    if (snapshot_file is not None) + live + (lab is not None) != 1:
        raise click.UsageError("give exactly one of --snapshot FILE, --live or --lab NAME")
    from netblame.dataplane import Dataplane, Flow, Tracer
    from netblame.dataplane.endpoints import resolve
    from netblame.dataplane.explain import explain
    from netblame.errors import InputError

    if snapshot_file is not None:
        from netblame.collect.snapshot_io import read_snapshot

        snapshot = read_snapshot(snapshot_file)
    else:
        from netblame.collect.run import collect_snapshot

        snapshot, _ = collect_snapshot(lab=lab)
    dp = Dataplane(snapshot)
    source = resolve(dp, src, "source")
    target = resolve(dp, dst, "destination")
    if target.address is None:
        raise InputError(f"destination {dst!r} ({target.label}) has no address to send to"
                         + _no_address_reason(dp, target.namespace))
    assert source.namespace is not None
    flow = Flow(start=source.namespace, start_dev=source.dev, src=source.address if source.dev else None,
                dst=target.address, proto=proto, dport=dport, size=size, df=df)
    result = Tracer(dp).trace(flow)
    sentence = explain(dp, result, source, target)
    if output == "json":
        from netblame.render.trace_json import render_trace_json

        sys.stdout.write(render_trace_json(result, sentence, source.label, target.label))
    else:
        from netblame.render.trace_text import render_trace_text

        sys.stdout.write(render_trace_text(result, sentence, source.label, target.label))
    sys.exit(0 if result.disposition.delivered else 1)


def _no_address_reason(dp: object, ns_id: str | None) -> str:
    """Why a pod has no address: its node has no pod range."""
    from netblame.dataplane import Dataplane

    assert isinstance(dp, Dataplane)
    if ns_id is None:
        return ""
    node = next((n for n in dp.snapshot.nodes for ns in n.namespaces if ns.id == ns_id), None)
    if node is None or node.pod_cidrs:
        return ""
    have = [f"{n.name} {', '.join(n.pod_cidrs)}" for n in dp.snapshot.nodes if n.pod_cidrs]
    return (f": node {node.name} has no pod range, so its pods get no address and no route leads to them"
            + (f" (only {'; '.join(have)} got one)" if have else ""))
