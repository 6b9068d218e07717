"""A trace as a readable hop list: namespace, devices, what matched, tunnels as nested headers."""

from __future__ import annotations

from netblame.dataplane.result import Action, Hop, StepKind, Trace, TraceResult

_MARK = {Action.DROPPED: "x", Action.WARNED: "!", Action.DELIVERED: "*"}


def _hop_lines(n: int, hop: Hop) -> list[str]:
    devs = " -> ".join(hop.devices) or "-"
    lines = [f"{n:>2}  {hop.label}  [node {hop.node}]  devices: {devs}"]
    for header in hop.encap:
        vni = f" VNI {header.vni}" if header.vni is not None else ""
        port = f"/{header.dport}" if header.dport else ""
        lines.append(f"      outer {header.kind.upper()}{vni}: {header.src or '?'} -> {header.dst} "
                     f"{header.proto}{port} (+{header.overhead} bytes)")
        lines.append("        └ inner packet")
    for step in hop.steps:
        if step.kind is StepKind.ORIGINATE:
            continue
        mark = _MARK.get(step.action, " ")
        lines.append(f"    {mark} {step.kind.value:<11} {step.detail}")
    return lines


def _branch_lines(trace: Trace) -> list[str]:
    lines: list[str] = []
    for n, hop in enumerate(trace.hops, 1):
        lines += _hop_lines(n, hop)
    if trace.reply is not None:
        lines += _reply_lines(trace.reply)
    return lines


def _reply_lines(back: TraceResult) -> list[str]:
    """The reply section of a branch: its hops, indented, and its verdict."""
    flow = back.flow
    src = f"{flow.src}:{flow.sport}" if flow.sport is not None else flow.src
    dst = f"{flow.dst}:{flow.dport}" if flow.dport is not None else flow.dst
    start = back.traces[0].hops[0].label if back.traces and back.traces[0].hops else flow.start
    lines = ["", f"  reply from {start}: {src} -> {dst} ({flow.proto})"]
    for i, trace in enumerate(back.traces, 1):
        if len(back.traces) > 1:
            lines.append(f"  reply branch {i} of {len(back.traces)}: {trace.disposition.value}")
        for n, hop in enumerate(trace.hops, 1):
            lines += ["  " + line for line in _hop_lines(n, hop)]
    lines.append(f"  reply: {back.disposition.value}")
    return lines


def render_trace_text(result: TraceResult, explanation: str, src_label: str, dst_label: str) -> str:
    """The whole trace as text."""
    flow = result.flow
    port = f" port {flow.dport}" if flow.dport else ""
    head = (f"trace {src_label} -> {dst_label}: {flow.proto}{port}, {flow.size} bytes, "
            f"{'DF' if flow.df else 'no DF'}, source address {result.worst.src or '?'}")
    lines = [head, ""]
    if len(result.traces) == 1:
        lines += _branch_lines(result.worst)
    else:
        for i, trace in enumerate(result.traces, 1):
            lines += [f"branch {i} of {len(result.traces)}: {trace.disposition.value}"]
            lines += [*_branch_lines(trace), ""]
    verdict = result.disposition.value
    if not result.replies_ok:
        bad = next(t.reply for t in result.traces if t.reply is not None and not t.reply.disposition.delivered)
        verdict += f", reply {bad.disposition.value}"
    lines += ["", f"{verdict}: {explanation}"]
    return "\n".join(lines) + "\n"
