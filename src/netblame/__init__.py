"""netblame: is it the network? Check, map and trace Kubernetes node networking.

The library calls and the types they return (docs/api.md)::

    import netblame

    report = netblame.check(["examples/pi-cluster"])      # -> Report
    dns = netblame.diagnose_dns(root="/")                  # -> DnsReport
    snapshot = netblame.collect()                          # -> Snapshot (read-only, needs root)
    answer = netblame.trace("n1-p1", "n2-p1", snapshot=snapshot)   # -> TraceReport
    netblame.save_snapshot(snapshot, "node1.json"); netblame.load_snapshot("node1.json")

Names load on first use (PEP 562), so ``import netblame`` and ``netblame --help`` stay cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from netblame.api.check import ClusterFlags, check
    from netblame.api.collect import collect
    from netblame.api.dns import diagnose_dns
    from netblame.api.snapshot import load_snapshot, save_snapshot
    from netblame.api.trace import trace
    from netblame.dataplane.result import Disposition, Trace
    from netblame.dataplane.verdict import TraceReport
    from netblame.dns.results import DnsReport
    from netblame.errors import CollectError, InputError, LabError, NetblameError, UsageError
    from netblame.findings import Finding, Report, RunFailure, Severity
    from netblame.model.snapshot import Snapshot

# public name -> the module that defines it
_WHERE = {
    "ClusterFlags": "netblame.api.check",
    "CollectError": "netblame.errors",
    "Disposition": "netblame.dataplane.result",
    "DnsReport": "netblame.dns.results",
    "Finding": "netblame.findings",
    "InputError": "netblame.errors",
    "LabError": "netblame.errors",
    "NetblameError": "netblame.errors",
    "Report": "netblame.findings",
    "RunFailure": "netblame.findings",
    "Severity": "netblame.findings",
    "Snapshot": "netblame.model.snapshot",
    "Trace": "netblame.dataplane.result",
    "TraceReport": "netblame.dataplane.verdict",
    "UsageError": "netblame.errors",
    "check": "netblame.api.check",
    "collect": "netblame.api.collect",
    "diagnose_dns": "netblame.api.dns",
    "load_snapshot": "netblame.api.snapshot",
    "save_snapshot": "netblame.api.snapshot",
    "trace": "netblame.api.trace",
}

__all__ = [
    "ClusterFlags",
    "CollectError",
    "Disposition",
    "DnsReport",
    "Finding",
    "InputError",
    "LabError",
    "NetblameError",
    "Report",
    "RunFailure",
    "Severity",
    "Snapshot",
    "Trace",
    "TraceReport",
    "UsageError",
    "__version__",
    "check",
    "collect",
    "diagnose_dns",
    "load_snapshot",
    "save_snapshot",
    "trace",
]


def __getattr__(name: str) -> object:
    """Import a public name's module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'netblame' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
