"""The verification harness: predict with the model, send the real packet, compare.

For one lab state (a style, healthy or with a fault): take a snapshot (the collector), draw random
source/destination pairs (pods, node addresses, unused pod addresses, addresses outside the cluster)
with a fixed seed; for each, take a fresh snapshot, trace it with the model, send the same packets from
the source namespace (UDP to a closed port, with the size and DF bit asked for), and compare:

- the verdict: delivered or not, and where and why it stopped, as the kernel's own counters say it
  (the sender's errno; UdpNoPorts, InNoRoutes, InAddrErrors, IPReversePathFilter, FragFails,
  InHdrErrors in the namespace where the model says the packet ended);
- the device path: every (namespace, device) whose packet counter grew by at least half the
  packets sent, against the devices the model says the packet crossed.
"""

from __future__ import annotations

import ipaddress
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.dataplane.kernel import Observation, conntrack_replies, enter, in_thread, probe

from netblame.dataplane import Dataplane, Disposition, Flow, StepKind, Trace, Tracer, TraceResult
from netblame.model.snapshot import Snapshot

D = Disposition
COUNT = 20
RUN = f"{os.getpid() % 0x1000:03x}"
OUTSIDE = ("203.0.113.7", "8.8.8.8")
# Errno a local sender sees, per disposition decided in its own namespace.
LOCAL_ERRNO = {D.NO_ROUTE: "ENETUNREACH", D.BLACKHOLE: "EINVAL", D.UNREACHABLE: "EHOSTUNREACH",
               D.PROHIBITED: "EACCES", D.MTU_EXCEEDED: "EMSGSIZE", D.FILTERED: "EPERM"}
# The kernel statistic that counts the drop, per disposition decided in a forwarding namespace.
REASON = {D.DELIVERED: ("Udp:NoPorts",), D.NO_ROUTE: ("IpExt:InNoRoutes", "Ip:InAddrErrors"),
          D.FORWARDING_DISABLED: ("Ip:InAddrErrors",), D.RP_FILTER: ("TcpExt:IPReversePathFilter",),
          D.MTU_EXCEEDED: ("Ip:FragFails",), D.TTL_EXCEEDED: ("Ip:InHdrErrors",), D.LOOP: ("Ip:InHdrErrors",)}
ALL_REASONS = sorted({k for keys in REASON.values() for k in keys})
SPORT_BASE = 40000


def lab_name(base: str) -> str:
    """``base`` made unique to this run, so runs from several checkouts on one machine never touch each
    other's labs (names start with "tr")."""
    return f"{base}{RUN}"


@dataclass
class Tally:
    """Probes compared in this run and how many agreed."""

    total: int = 0
    agreed: int = 0
    undecided: int = 0
    undecided_probes: list[str] = field(default_factory=list)


TALLY = Tally()


@dataclass(frozen=True)
class Probe:
    """One question: from a namespace to an address, with a size and DF bit."""

    src_ns: str
    src_label: str
    dst: str
    dst_label: str
    size: int
    df: bool
    port: int
    bind_addr: str | None = None
    bind_dev: str | None = None
    sport: int = 0


@dataclass(frozen=True)
class Outcome:
    """A probe's prediction, the kernel's answer, and whether they agree."""

    probe: Probe
    agree: bool
    model: str
    kernel: str


def endpoints(snapshot: Snapshot) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Sources ``(namespace, label)`` and destinations ``(address, label)`` of a lab snapshot."""
    sources, dests = [], []
    for node in snapshot.nodes:
        for ns in node.namespaces:
            v4 = [a for a in ns.addresses if a.family == 4 and a.scope == "global"]
            if not v4 or ns.name is None:
                continue
            label = ns.pod or ns.name
            sources.append((ns.name, label))
            dests += [(a.address, f"{label}:{a.dev}") for a in v4 if ns.role != "other" or a.dev != "lo"]
    dests += [(ip, "outside") for ip in OUTSIDE]
    # An unused address in each pod range: nobody answers ARP for it.
    dests += [(str(ipaddress.ip_network(c).network_address + 250), f"unused in {node.name}'s range")
              for node in snapshot.nodes for c in node.pod_cidrs]
    return sources, dests


SIZES = [(120, True), (120, True), (1000, False), (1420, True), (1500, False)]
# With packet filters about, conntrack reassembles fragments where it runs, which the model does not simulate:
# such states send only packets that need no fragmenting.
SIZES_UNFRAGMENTED = [(120, True), (120, True), (1420, True)]


def _bound(snapshot: Snapshot, ns_name: str, rng: random.Random) -> tuple[str | None, str | None]:
    """How a probe's socket is bound: unbound (the usual), to one of the namespace's addresses (the host that
    owns it, sending with that source), or to one of its devices (``ping -I``)."""
    ns = next(n for node in snapshot.nodes for n in node.namespaces if n.name == ns_name)
    v4 = [a for a in ns.addresses if a.family == 4 and a.scope == "global"]
    roll = rng.random()
    if roll < 0.15 and v4:
        return rng.choice(v4).address, None
    if roll < 0.25 and v4:
        return None, rng.choice(v4).dev
    return None, None


def draw(snapshot: Snapshot, rng: random.Random, count: int, targets: list[tuple[str, str, int]] | None = None,
         filtered: bool = False) -> list[Probe]:
    """``count`` random probes: mostly pods, some node and outside addresses, some big packets with or without DF;
    some from a bound address or device. ``targets`` (address, label, port) are Service addresses: half the
    probes go to one of them."""
    sources, dests = endpoints(snapshot)
    pods = [s for s in sources if not s[1].startswith("nb-")] or sources
    out = []
    for i in range(count):
        src = rng.choice(pods if rng.random() < 0.8 else sources)
        port = 33434 + i
        if targets and rng.random() < 0.5:
            dst_ip, dst_label, port = rng.choice(targets)
            dst = (dst_ip, dst_label)
        else:
            dst = rng.choice(dests)
        size, df = rng.choice(SIZES_UNFRAGMENTED if filtered else SIZES)
        addr, dev = _bound(snapshot, src[0], rng)
        out.append(Probe(src[0], src[1], dst[0], dst[1], size, df, port, addr, dev, SPORT_BASE + i))
    return out


def _ns_names(snapshot: Snapshot) -> dict[str, str]:
    return {ns.id: ns.name or ns.id for node in snapshot.nodes for ns in node.namespaces}


def _describe(path: set[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{ns}:{dev}" for ns, dev in path) or "(none)"


def judge(result: TraceResult, obs: Observation, names: dict[str, str],
          replies: Callable[[str], set[tuple[str, str]]] | None = None) -> tuple[bool, str, str]:
    """Compare a prediction with an observation: ``(agree, model says, kernel says)``. The kernel takes one
    branch (one ECMP path, one Service endpoint): some branch must agree, translations included (``replies``
    gives conntrack's reply tuples in a namespace)."""
    said = []
    for trace in result.traces:
        ok, model, kernel = judge_trace(trace, obs, names)
        if ok and replies is not None:
            ok, why = nat_agrees(trace, names, replies)
            kernel += why
        if ok:
            return ok, model, kernel
        said.append(model)
    return False, " | ".join(said), kernel


def nat_agrees(trace: Trace, names: dict[str, str],
               replies: Callable[[str], set[tuple[str, str]]]) -> tuple[bool, str]:
    """Whether conntrack, in every namespace where the branch translates the packet, holds that translation:
    the reply comes from the DNAT's address, or goes to the SNAT's."""
    for hop in trace.hops:
        for step in hop.steps:
            if step.kind is not StepKind.NAT:
                continue
            facts = dict(step.facts)
            to = facts["to"].rsplit(":", 1)[0] if facts["to"].count(":") == 1 else facts["to"]
            seen = replies(names[hop.namespace])
            side = 0 if facts["nat"] in ("dnat", "redirect") else 1
            if not any(r[side] == to for r in seen):
                return False, f"; conntrack in {names[hop.namespace]}: {sorted(seen)} (model: {facts['nat']} to {to})"
    return True, ""


def judge_trace(trace: Trace, obs: Observation, names: dict[str, str]) -> tuple[bool, str, str]:
    """One branch against the observation."""
    # Half the packets sent must have crossed a device; when the sender got an error for every packet,
    # half of what it tried (a lone stray packet is background traffic, not the probe).
    threshold = max(1, obs.sent // 2) if obs.sent else COUNT // 2
    seen = obs.crossed(threshold)
    path = {(names[ns], dev) for ns, dev in trace.device_path()}
    last = names[trace.last.namespace] if trace.last else "?"
    d = trace.disposition
    reasons = {key: obs.counted(key, threshold) for key in ALL_REASONS}
    kernel = (f"errno={obs.errno} sent={obs.sent}; "
              + "; ".join(f"{k} in {', '.join(v)}" for k, v in reasons.items() if v)
              + f"; crossed: {_describe(sorted(seen))}")
    model = f"{d.value} at {last}; path: {_describe(tuple(sorted(path)))}"
    local_drop = d in LOCAL_ERRNO and all(dev == "lo" for _, dev in trace.device_path()) and (
        not trace.device_path() or d is D.FILTERED)
    if local_drop:
        ok = obs.errno == LOCAL_ERRNO[d] and obs.sent == 0
    elif d is D.MTU_EXCEEDED:
        where = dict(trace.last.steps[-1].facts).get("where") if trace.last else None
        # Dropped by ip_forward: counted as FragFails there. A veth or bridge port too small drops frames
        # silently, and a lost first fragment leaves the rest waiting for reassembly: nothing is counted.
        silent = obs.errno is None and not any(reasons.values())
        ok = last in reasons["Ip:FragFails"] if where == "forward" else silent
    elif d is D.FILTERED:
        # Dropped or rejected where the model says: nothing counted as delivered or dropped for another reason,
        # and an ICMP error sent from there exactly when the rule rejects.
        step = dict(trace.last.steps[-1].facts) if trace.last else {}
        # An ICMP error sent, or held back by the per-host rate limit (an earlier probe used its tokens).
        rejects = any(last in obs.counted(k, 1) for k in ("Icmp:OutDestUnreachs", "Icmp:OutRateLimitHost",
                                                          "Icmp:OutRateLimitGlobal"))
        ok = obs.errno is None and not any(reasons.values()) and rejects == (step.get("verdict") == "reject")
    else:
        want = REASON.get(d, ())
        ok = obs.errno is None
        if want:
            ok = ok and any(last in reasons[k] or (d is D.LOOP and reasons[k]) for k in want)
        # Nothing else may count a drop or a delivery the model does not predict.
        others = {k for k in ALL_REASONS if k not in want and reasons[k]}
        ok = ok and not others
    ok = ok and seen == path if d is not D.LOOP else ok and path <= seen
    return ok, model, kernel


def flush_route_caches(namespaces: list[str]) -> None:
    """Forget learnt path MTUs (route exceptions) in every namespace: the snapshot cannot hold them."""

    def work() -> None:
        for name in namespaces:
            enter(name)
            with open("/proc/sys/net/ipv4/route/flush", "w", encoding="ascii") as fh:
                fh.write("1\n")

    in_thread(work)


def run_probes(snapshot: Snapshot, probes: list[Probe], fresh: Callable[[], Snapshot] | None = None) -> list[Outcome]:
    """Predict and send every probe; return the comparisons.

    With ``fresh``, each probe is predicted from a snapshot taken just before it is sent: an earlier probe
    may have changed what the kernel caches (a neighbour entry refreshed by the traffic it caused)."""
    names = _ns_names(snapshot)
    by_name = {v: k for k, v in names.items()}
    namespaces = sorted(names.values())
    outcomes = []
    tracer = Tracer(Dataplane(snapshot))
    for i, p in enumerate(probes):
        flush_route_caches(namespaces)
        if fresh is not None and i:
            tracer = Tracer(Dataplane(fresh()))
        result = tracer.trace(Flow(start=by_name[p.src_ns], dst=p.dst, proto="udp", dport=p.port, size=p.size,
                                   df=p.df, src=p.bind_addr, start_dev=p.bind_dev))
        obs = probe(namespaces, p.src_ns, p.dst, size=p.size, df=p.df, count=COUNT, port=p.port,
                    bind_addr=p.bind_addr, bind_dev=p.bind_dev, sport=p.sport)
        if any(t.disposition is D.UNSIMULATED for t in result.traces):
            # The model says it cannot decide (and why, at the hop): counted apart and named, never as agreement.
            TALLY.undecided += 1
            why = next(t.last.steps[-1].detail for t in result.traces
                       if t.disposition is D.UNSIMULATED and t.last is not None and t.last.steps)
            TALLY.undecided_probes.append(f"{p.src_label} -> {p.dst}:{p.port} ({p.dst_label}): {why}")
            continue
        ok, model, kernel = judge(result, obs, names, lambda ns, sport=p.sport: conntrack_replies(ns, "udp", sport))
        outcomes.append(Outcome(p, ok, model, kernel))
        TALLY.total += 1
        TALLY.agreed += ok
    return outcomes
