"""A forwarding model of Linux: where does a packet go through a snapshot's namespaces, and why.

Pure and deterministic: build a :class:`Dataplane` from a snapshot once, then :func:`trace` flows.
"""

from __future__ import annotations

from netblame.dataplane.engine import Tracer
from netblame.dataplane.index import Dataplane
from netblame.dataplane.result import Action, Disposition, Flow, Header, Hop, Step, StepKind, Trace, TraceResult
from netblame.model.snapshot import Snapshot

__all__ = [
    "Action",
    "Dataplane",
    "Disposition",
    "Flow",
    "Header",
    "Hop",
    "Step",
    "StepKind",
    "Trace",
    "TraceResult",
    "Tracer",
    "trace",
]


def trace(snapshot: Snapshot | Dataplane, flow: Flow) -> TraceResult:
    """Trace ``flow`` through ``snapshot`` (index a snapshot once with :class:`Dataplane` to trace many)."""
    dp = snapshot if isinstance(snapshot, Dataplane) else Dataplane(snapshot)
    return Tracer(dp).trace(flow)
