"""``netblame trace`` as a library call: where does a packet from SRC to DST die, and why."""

from __future__ import annotations

from netblame.dataplane.index import Dataplane
from netblame.dataplane.verdict import PodRanges, TraceReport, trace_between
from netblame.errors import UsageError
from netblame.model.snapshot import Snapshot
from netblame.sources.snapshot import load_snapshot


def trace(src: str, dst: str, *, snapshot: Snapshot | None = None, snapshot_file: str | None = None,
          live: bool = False, lab: str | None = None, proto: str = "icmp", dport: int | None = None,
          size: int = 84, df: bool = True, mark: int = 0, reply: bool | None = None) -> TraceReport:
    """Simulate a packet from ``src`` to ``dst`` (a pod such as ``n1-p1``, ``namespace:device``, a namespace
    or node, or an address) through one of: a ``snapshot``, a ``snapshot_file``, this machine's namespaces
    collected now (``live``) or lab ``lab``'s. With a lab, its pod ranges explain a missing pod in the
    user's own values. ``mark`` is the firewall mark the packet starts with. ``reply`` traces every delivered
    branch's reply back to the client (default: for ``tcp`` and ``udp``, whose answer is a connection's). Raises
    :class:`~netblame.errors.UsageError` unless exactly one source is given, :class:`~netblame.errors.InputError`
    when an end does not resolve."""
    if (snapshot is not None) + (snapshot_file is not None) + live + (lab is not None and not live) != 1:
        raise UsageError("give exactly one of --snapshot FILE, --live or --lab NAME")
    if dport is not None and proto == "icmp":
        raise UsageError("--dport applies to --proto udp or tcp; ICMP has no ports")
    if snapshot is None:
        if snapshot_file is not None:
            snapshot = load_snapshot(snapshot_file)
        else:
            from netblame.live.run import collect_snapshot

            snapshot, _ = collect_snapshot(lab=lab)
    return trace_between(Dataplane(snapshot), src, dst, proto=proto, dport=dport, size=size, df=df,
                         pod_ranges=lab_pod_ranges(lab), mark=mark,
                         reply=proto in ("tcp", "udp") if reply is None else reply)


def lab_pod_ranges(lab: str | None) -> PodRanges | None:
    """The lab's pod range, node mask and node count (from its state file), when there is such a lab."""
    if lab is None:
        return None
    from netblame.lab.state import exists, load

    if not exists(lab):
        return None
    state = load(lab)
    return PodRanges(state.pod_cidr, state.node_mask, len(state.nodes))
