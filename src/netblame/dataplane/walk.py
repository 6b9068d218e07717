"""A packet in flight and one branch's journey so far: the engine's working state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from netblame.dataplane.index import NsView
from netblame.dataplane.lpm import format_ip
from netblame.dataplane.netfilter.evaluate import Conn
from netblame.dataplane.result import Action, CtEntry, Disposition, Flow, Header, Hop, Step, StepKind, Trace, Tuple

if TYPE_CHECKING:
    from netblame.dataplane.reply import Conntrack


@dataclass(slots=True)
class Packet:
    """A packet in flight; an encapsulated packet carries its ``inner`` one and the inner frame's MAC."""

    family: int
    src: int | None
    dst: int
    proto: str
    dport: int | None
    size: int
    df: bool
    ttl: int
    inner: Packet | None = None
    inner_mac: str | None = None
    header: Header | None = None
    local: bool = True
    tail: int | None = None
    tail_inner: bool = False
    incomplete: bool = False
    sport: int | None = None
    mark: int = 0
    iif: str | None = None
    conn: Conn | None = None
    conn_ns: str | None = None
    ct: Conntrack | None = None

    def forwarded(self, iif: str | None = None) -> Packet:
        """The packet as a router sends it on (arrived on ``iif``): TTL one lower, no longer the sender's own."""
        return replace(self, ttl=self.ttl - 1, local=False, iif=iif)

    def four(self) -> Tuple:
        """The packet's tuple (an unset source reads as 0)."""
        return (self.src or 0, self.sport, self.dst, self.dport)

    def describe(self) -> str:
        """``src -> dst`` in text."""
        src = format_ip(self.family, self.src) if self.src is not None else "(unset)"
        return f"{src} -> {format_ip(self.family, self.dst)}"


def fragment(pkt: Packet, mtu: int) -> Packet:
    """The first fragment of ``pkt`` at ``mtu`` (``ip_fragment``: 8-byte aligned data), remembering the last
    fragment's size: a link too small for the first may still carry the last."""
    per = (mtu - 20) & ~7
    payload = pkt.size - 20
    count = -(-payload // per)
    return replace(pkt, size=per + 20, tail=payload - (count - 1) * per + 20, tail_inner=False)


def tail_only(pkt: Packet) -> Packet:
    """What goes on when a link drops every fragment but the last: a train that cannot be reassembled."""
    if pkt.tail_inner and pkt.inner is not None and pkt.inner.tail is not None:
        inner = replace(pkt.inner, size=pkt.inner.tail, tail=None, incomplete=True)
        return replace(pkt, size=pkt.tail or pkt.size, tail=None, tail_inner=False, inner=inner)
    return replace(pkt, size=pkt.tail or pkt.size, tail=None, incomplete=True)


class Branch:
    """One branch's journey so far: finished hops and the hop being built."""

    __slots__ = ("ct", "devices", "encap", "final", "hops", "in_dev", "last_lookup", "seen", "src", "steps", "view")

    def __init__(self) -> None:
        self.hops: list[Hop] = []
        self.view: NsView | None = None
        self.in_dev: str | None = None
        self.devices: list[str] = []
        self.steps: list[Step] = []
        self.encap: list[Header] = []
        self.seen: set[tuple[object, ...]] = set()
        self.src: str | None = None
        self.last_lookup: object = None
        self.ct: dict[str, tuple[Tuple, Tuple]] = {}
        self.final: Tuple | None = None

    def fork(self) -> Branch:
        """A copy to follow another ECMP next hop from here."""
        other = Branch()
        other.hops = list(self.hops)
        other.view, other.in_dev = self.view, self.in_dev
        other.devices, other.steps, other.encap = list(self.devices), list(self.steps), list(self.encap)
        other.seen, other.src, other.last_lookup = set(self.seen), self.src, self.last_lookup
        other.ct, other.final = dict(self.ct), self.final
        return other

    def track(self, ns: str, before: Tuple, after: Tuple) -> None:
        """Conntrack in ``ns`` saw the packet arrive as ``before`` (first time) and leave a hook as ``after``."""
        first = self.ct.get(ns)
        self.ct[ns] = (first[0] if first else before, after)
        self.final = after

    def step(self, kind: StepKind, action: Action, detail: str | Callable[[], str], **facts: object) -> None:
        """Record a decision at the current hop (``detail`` may be a function: rendered when first read)."""
        self.steps.append(Step(kind, action, detail, tuple(facts.items())))

    def open(self, view: NsView, in_dev: str | None) -> None:
        """Finish the current hop and start one in ``view`` (arriving on ``in_dev``)."""
        self.close()
        self.view, self.in_dev = view, in_dev
        self.devices, self.steps, self.encap = [], [], []
        self.steps.extend(view.warnings)

    def close(self) -> None:
        """Finish the current hop."""
        if self.view is None:
            return
        out_dev = self.devices[-1] if self.devices and self.devices[-1] != self.in_dev else None
        self.hops.append(Hop(self.view.id, self.view.node, self.view.label, self.in_dev, out_dev,
                             tuple(self.devices), tuple(self.steps), tuple(self.encap)))
        self.view = None

    def end(self, flow: Flow, disposition: Disposition) -> list[Trace]:
        """Finish the journey with ``disposition``."""
        self.close()
        entries = tuple(CtEntry(ns, a, b) for ns, (a, b) in self.ct.items())
        return [Trace(flow, disposition, tuple(self.hops), self.src, entries, self.final)]
