"""netblame: is it the network? Check, map and trace Kubernetes node networking.

The library calls and the types they return (docs/api.md)::

    import netblame

    report = netblame.check(["examples/pi-cluster"])      # -> Report
    dns = netblame.diagnose_dns(root="/")                  # -> DnsReport
    snapshot = netblame.collect()                          # -> Snapshot (read-only, needs root)
    answer = netblame.trace("n1-p1", "n2-p1", snapshot=snapshot)   # -> TraceReport
    netblame.save_snapshot(snapshot, "node1.json"); netblame.load_snapshot("node1.json")
    plan = netblame.make_plan(netblame.PlanRequest(nodes=4, lan=("192.168.1.0/24",)))   # -> ClusterPlan
    needs = netblame.handoff(["examples/pi-cluster-fixed"])   # -> Handoff
    pick = netblame.choose_cni(netblame.Constraints(arch=netblame.Arch.ARM64))   # -> Decision
    seen = netblame.explain_log(open("kcm.log"))              # -> LogSummary (explain_line: one line)
    graph = netblame.make_topology(snapshot)                  # -> Topology (what map draws)
    page = netblame.summarize(["examples/pi-cluster"])        # -> Summary (what report shows)

A few calls are exported under a name other than their module's (``choose_cni`` is
``netblame.choose.decide``, ``make_topology`` is ``netblame.topology.topology``): the bare names are
subpackages of ``netblame``.

Names load on first use (PEP 562), so ``import netblame`` and ``netblame --help`` stay cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs ~10 ms that --help need not pay (mypy reads the name)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from netblame.api.check import ClusterFlags, check
    from netblame.api.collect import collect
    from netblame.api.dns import diagnose_dns
    from netblame.api.handoff import HandoffOptions, handoff
    from netblame.api.snapshot import load_snapshot, save_snapshot
    from netblame.api.trace import trace
    from netblame.choose.decide import Constraints, Decision
    from netblame.choose.decide import decide as choose_cni
    from netblame.choose.model import Arch
    from netblame.dataplane.result import Disposition, Trace
    from netblame.dataplane.verdict import TraceReport
    from netblame.dns.results import DnsReport
    from netblame.errors import CollectError, InputError, LabError, NetblameError, UsageError
    from netblame.findings import Finding, Report, RunFailure, Severity
    from netblame.logs import LogSummary
    from netblame.logs import recognise as explain_line
    from netblame.logs import summarise as explain_log
    from netblame.model.snapshot import Snapshot
    from netblame.plan.propose import ClusterPlan, PlanRequest, make_plan
    from netblame.summary import Summary, summarize
    from netblame.topology import Topology
    from netblame.topology import topology as make_topology
    from netblame.underlay.handoff import Handoff

# public name -> the module that defines it ("module:attribute" where the name differs)
_WHERE = {
    "Arch": "netblame.choose.model",
    "ClusterFlags": "netblame.api.check",
    "ClusterPlan": "netblame.plan.propose",
    "CollectError": "netblame.errors",
    "Constraints": "netblame.choose.decide",
    "Decision": "netblame.choose.decide",
    "Disposition": "netblame.dataplane.result",
    "DnsReport": "netblame.dns.results",
    "Finding": "netblame.findings",
    "Handoff": "netblame.underlay.handoff",
    "HandoffOptions": "netblame.api.handoff",
    "InputError": "netblame.errors",
    "LabError": "netblame.errors",
    "LogSummary": "netblame.logs",
    "NetblameError": "netblame.errors",
    "PlanRequest": "netblame.plan.propose",
    "Report": "netblame.findings",
    "RunFailure": "netblame.findings",
    "Severity": "netblame.findings",
    "Snapshot": "netblame.model.snapshot",
    "Summary": "netblame.summary",
    "Topology": "netblame.topology",
    "Trace": "netblame.dataplane.result",
    "TraceReport": "netblame.dataplane.verdict",
    "UsageError": "netblame.errors",
    "check": "netblame.api.check",
    "choose_cni": "netblame.choose.decide:decide",
    "collect": "netblame.api.collect",
    "diagnose_dns": "netblame.api.dns",
    "explain_line": "netblame.logs:recognise",
    "explain_log": "netblame.logs:summarise",
    "handoff": "netblame.api.handoff",
    "load_snapshot": "netblame.api.snapshot",
    "make_plan": "netblame.plan.propose",
    "make_topology": "netblame.topology:topology",
    "save_snapshot": "netblame.api.snapshot",
    "summarize": "netblame.summary",
    "trace": "netblame.api.trace",
}

__all__ = [
    "Arch",
    "ClusterFlags",
    "ClusterPlan",
    "CollectError",
    "Constraints",
    "Decision",
    "Disposition",
    "DnsReport",
    "Finding",
    "Handoff",
    "HandoffOptions",
    "InputError",
    "LabError",
    "LogSummary",
    "NetblameError",
    "PlanRequest",
    "Report",
    "RunFailure",
    "Severity",
    "Snapshot",
    "Summary",
    "Topology",
    "Trace",
    "TraceReport",
    "UsageError",
    "__version__",
    "check",
    "choose_cni",
    "collect",
    "diagnose_dns",
    "explain_line",
    "explain_log",
    "handoff",
    "load_snapshot",
    "make_plan",
    "make_topology",
    "save_snapshot",
    "summarize",
    "trace",
]


def __getattr__(name: str) -> object:
    """Import a public name's module on first use."""
    where = _WHERE.get(name)
    if where is None:  # also how `from netblame import exit_codes` comes to import the submodule
        raise AttributeError(f"module 'netblame' has no attribute {name!r}")
    from netblame._lazy import load  # `import netblame` alone loads no other module

    return load(__name__, where, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
