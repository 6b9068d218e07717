"""A trace as JSON, schema ``netblame/trace/v1`` (docs/trace-schema.md)."""

from __future__ import annotations

from typing import Any

import orjson

from netblame.dataplane.result import Flow, Header, Hop, Trace, TraceResult

TRACE_SCHEMA = "netblame/trace/v1"


def _flow(flow: Flow) -> dict[str, Any]:
    return {"start": flow.start, "start_dev": flow.start_dev, "src": flow.src, "dst": flow.dst, "proto": flow.proto,
            "sport": flow.sport, "dport": flow.dport, "size": flow.size, "df": flow.df, "ttl": flow.ttl,
            "mark": flow.mark}


def _header(h: Header) -> dict[str, Any]:
    return {"kind": h.kind, "src": h.src, "dst": h.dst, "proto": h.proto, "dport": h.dport, "vni": h.vni,
            "overhead": h.overhead}


def _hop(hop: Hop) -> dict[str, Any]:
    return {"namespace": hop.namespace, "node": hop.node, "label": hop.label, "in_dev": hop.in_dev,
            "out_dev": hop.out_dev, "devices": list(hop.devices), "encap": [_header(h) for h in hop.encap],
            "steps": [{"kind": s.kind.value, "action": s.action.value, "detail": s.detail, "facts": dict(s.facts)}
                      for s in hop.steps]}


def _branch(trace: Trace) -> dict[str, Any]:
    out: dict[str, Any] = {"disposition": trace.disposition.value, "src": trace.src,
                           "hops": [_hop(h) for h in trace.hops]}
    if trace.reply is not None:
        back = trace.reply
        out["reply"] = {"flow": _flow(back.flow), "disposition": back.disposition.value,
                        "branches": [_branch(t) for t in back.traces]}
    return out


def trace_dict(result: TraceResult, explanation: str, src_label: str, dst_label: str) -> dict[str, Any]:
    """The JSON document as a dict."""
    worst = result.worst
    return {"schema": TRACE_SCHEMA, "flow": _flow(result.flow), "src": src_label, "dst": dst_label,
            "disposition": result.disposition.value, "explanation": explanation, "src_address": worst.src,
            "hops": [_hop(h) for h in worst.hops], "branches": [_branch(t) for t in result.traces],
            "replies_ok": result.replies_ok}


def render_trace_json(result: TraceResult, explanation: str, src_label: str, dst_label: str) -> str:
    """Pretty JSON with a trailing newline."""
    doc = trace_dict(result, explanation, src_label, dst_label)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
