"""A forwarding model of Linux: where does a packet go through a snapshot's namespaces, and why.

Pure and deterministic: build a :class:`Dataplane` from a snapshot once, then :func:`trace` flows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame._lazy import load

if TYPE_CHECKING:
    from netblame.dataplane.engine import Tracer
    from netblame.dataplane.index import Dataplane
    from netblame.dataplane.result import Action, Disposition, Flow, Header, Hop, Step, StepKind, Trace, TraceResult
    from netblame.model.snapshot import Snapshot

# Loaded on first use (PEP 562): a rule that needs one table of this package does not pay for the engine.
_WHERE = {"Tracer": "engine", "Dataplane": "index", **{name: "result" for name in (
    "Action", "Disposition", "Flow", "Header", "Hop", "Step", "StepKind", "Trace", "TraceResult")}}

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


def __getattr__(name: str) -> object:
    """Import a public name's module on first use."""
    where = _WHERE.get(name)
    return load(__name__, None if where is None else f"netblame.dataplane.{where}", name)


def trace(snapshot: Snapshot | Dataplane, flow: Flow) -> TraceResult:
    """Trace ``flow`` through ``snapshot`` (index a snapshot once with :class:`Dataplane` to trace many)."""
    from netblame.dataplane.engine import Tracer
    from netblame.dataplane.index import Dataplane

    dp = snapshot if isinstance(snapshot, Dataplane) else Dataplane(snapshot)
    return Tracer(dp).trace(flow)
